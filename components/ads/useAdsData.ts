/**
 * The advertiser-side data of the Ads tab: advertisers, every requested account, and status changes that arrive by
 * themselves. The list is fetched again every few seconds while the page is visible, so a request the owner approves
 * shows up without reopening the popup (the background's events poll runs only every few minutes).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Advertiser, Authorization } from '@/utils/api/schemas';
import { send } from '@/utils/messaging';
import type { ResultError } from '@/utils/messaging/catalogue';
import { statusChanges } from './filter';

export const REFRESH_MS = 3_000;

export interface AdsData {
  advertisers: Advertiser[] | null;
  items: Authorization[] | null;
  error: ResultError | null;
  /** Authorizations whose status changed since the previous fetch (for the live announcement). */
  changed: Authorization[];
  refresh: () => Promise<void>;
  /** Put an authorization the service just returned into the list without waiting for the next fetch. */
  upsert: (a: Authorization) => void;
}

export function useAdsData(gmail: string): AdsData {
  const [advertisers, setAdvertisers] = useState<Advertiser[] | null>(null);
  const [items, setItems] = useState<Authorization[] | null>(null);
  const [error, setError] = useState<ResultError | null>(null);
  const [changed, setChanged] = useState<Authorization[]>([]);
  const itemsRef = useRef<Authorization[] | null>(null);
  const inFlight = useRef(false);

  const refresh = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const r = await send('adsList', { gmail });
      if (!r.ok) {
        setError(r.error);
        return;
      }
      setError(null);
      const before = itemsRef.current;
      // Most polls change nothing: keep the same array so the list does not render again.
      if (before && JSON.stringify(before) === JSON.stringify(r.data)) return;
      itemsRef.current = r.data;
      if (before) {
        const diff = statusChanges(before, r.data);
        if (diff.length > 0) setChanged(diff);
      }
      setItems(r.data);
    } finally {
      inFlight.current = false;
    }
  }, [gmail]);

  const upsert = useCallback((a: Authorization) => {
    const current = itemsRef.current ?? [];
    const next = current.some((x) => x.authorization_id === a.authorization_id)
      ? current.map((x) => (x.authorization_id === a.authorization_id ? a : x))
      : [a, ...current];
    itemsRef.current = next;
    setItems(next);
  }, []);

  useEffect(() => {
    itemsRef.current = null;
    setItems(null);
    setAdvertisers(null);
    void send('adsAdvertisers', { gmail }).then((r) => (r.ok ? setAdvertisers(r.data) : setError(r.error)));
    void refresh();
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') void refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [gmail, refresh]);

  return { advertisers, items, error, changed, refresh, upsert };
}
