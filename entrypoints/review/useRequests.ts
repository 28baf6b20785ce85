/** Requests made to the user's own linked TikTok accounts, kept fresh like the advertiser list. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Authorization } from '@/utils/api/schemas';
import { REFRESH_MS } from '@/components/ads/useAdsData';
import { send } from '@/utils/messaging';
import type { ResultError } from '@/utils/messaging/catalogue';

export function useRequests(gmail: string) {
  const [items, setItems] = useState<Authorization[] | null>(null);
  const [error, setError] = useState<ResultError | null>(null);

  const refresh = useCallback(async () => {
    const r = await send('adsRequests', { gmail });
    if (r.ok) {
      setItems(r.data);
      setError(null);
    } else setError(r.error);
  }, [gmail]);

  const upsert = useCallback(
    (a: Authorization) =>
      setItems((prev) => (prev ?? []).map((x) => (x.authorization_id === a.authorization_id ? a : x))),
    [],
  );

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => document.visibilityState === 'visible' && void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  return { items, error, upsert };
}
