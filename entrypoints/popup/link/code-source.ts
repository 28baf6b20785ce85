/**
 * Where the popup finds the emailed code by itself: what the Gmail content script reported for that address
 * (`storage.session` `codes:<gmail>`), or, in the embedded sandbox (which sends no real email), its mailbox.
 */
import { useEffect, useState } from 'preact/hooks';
import { storage } from 'wxt/utils/storage';
import { send } from '@/utils/messaging';

export interface FoundCode {
  code: string;
  source: 'gmail' | 'sandbox';
}

type SeenCodes = { code: string; seen_at: string }[];
const CODE_SUBJECT = /^(\d{6}) is your verification code/;
const SANDBOX_POLL_MS = 1000;

/** The newest code Gmail showed since `since` (ISO; older ones belong to earlier requests), or null. */
export const newestSince = (codes: SeenCodes | null, since: string): string | null =>
  [...(codes ?? [])].filter((c) => c.seen_at >= since).sort((a, b) => b.seen_at.localeCompare(a.seen_at))[0]?.code ?? null;

/** The newest code for `gmail` requested at `since`, or null; only watched while `active`. */
export function useFoundCode(gmail: string, active: boolean, sandbox: boolean, since: string): FoundCode | null {
  const [found, setFound] = useState<FoundCode | null>(null);

  useEffect(() => {
    setFound(null);
    if (!active) return;
    const key = `session:codes:${gmail}` as const;
    const fromGmail = (codes: SeenCodes | null) => {
      const code = newestSince(codes, since);
      if (code) setFound({ code, source: 'gmail' });
    };
    void storage.getItem<SeenCodes>(key).then(fromGmail);
    const unwatch = storage.watch<SeenCodes>(key, fromGmail);
    if (!sandbox) return unwatch;

    const readMailbox = async () => {
      const r = await send('sandboxMailbox', { gmail });
      if (!r.ok) return;
      for (const item of r.data as { subject?: unknown }[]) {
        const match = typeof item?.subject === 'string' ? CODE_SUBJECT.exec(item.subject) : null;
        if (match) return setFound((f) => (f?.source === 'gmail' ? f : { code: match[1]!, source: 'sandbox' }));
      }
    };
    void readMailbox();
    const timer = setInterval(readMailbox, SANDBOX_POLL_MS);
    return () => {
      unwatch();
      clearInterval(timer);
    };
  }, [gmail, active, sandbox, since]);

  return found;
}
