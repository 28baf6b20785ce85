/**
 * Sends the background the 6-digit codes of genuine TikTok code emails in view (from register@ / noreply@
 * account.tiktok.com), so the link flow can fill the code in for the user.
 *
 * A code stays pending until the worker has accepted it: while the page does not show its signed-in address yet, or
 * the worker does not answer (starting, stopped, busy) or refuses (this tab's account report not stored yet), it is
 * sent again with a short backoff, and at once when the address becomes known. Accepted codes are not sent again.
 */
import { send } from '@/utils/messaging';
import { subscribe } from '../detected';
import { signedInAddress } from './report-account';

const CODE_SENDERS = /^(register|noreply)@account\.tiktok\.com$/i;
/** Backoff between tries: 150 ms, 300 ms, ... up to 5 s. */
export const RETRY_MS = { first: 150, max: 5000 };
/** A code is valid 10 minutes: one still not accepted after that is dropped. */
const GIVE_UP_MS = 10 * 60_000;
const BATCH = 20;

export interface ReportCodesDeps {
  send: typeof send;
  address: () => string | null;
  now: () => number;
}

export function startReportingCodes(deps: ReportCodesDeps = { send, address: () => signedInAddress(), now: Date.now }): () => void {
  const accepted = new Set<string>();
  /** code → when it was first seen (ms), in the order seen. */
  const pending = new Map<string, number>();
  let inFlight = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (ms: number) => {
    if (stopped || timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };

  async function flush(): Promise<void> {
    if (inFlight || stopped) return;
    for (const [code, seen] of pending) if (deps.now() - seen > GIVE_UP_MS) pending.delete(code);
    if (!pending.size) return;
    const gmail = deps.address();
    if (!gmail) return retryLater();
    const batch = [...pending].slice(0, BATCH);
    inFlight = true;
    const r = await deps.send('reportCodes', { gmail, codes: batch.map(([code, seen]) => ({ code, seen_at: new Date(seen).toISOString() })) });
    inFlight = false;
    if (stopped) return;
    if (!r.ok) return retryLater();
    failures = 0;
    for (const [code] of batch) {
      pending.delete(code);
      accepted.add(code);
    }
    if (pending.size) void flush();
  }

  function retryLater(): void {
    schedule(Math.min(RETRY_MS.max, RETRY_MS.first * 2 ** failures));
    failures++;
  }

  // The address appears in the title once Gmail has loaded: send what waits for it straight away.
  const titleWatch = new MutationObserver(() => {
    if (!pending.size || inFlight || !deps.address()) return;
    clearTimeout(timer);
    timer = undefined;
    void flush();
  });
  const head = document.head ?? document.documentElement;
  titleWatch.observe(head, { subtree: true, childList: true, characterData: true });

  const unsubscribe = subscribe((d) => {
    const code = d.facts.code;
    if (d.kind !== 'code' || !code || !/^\d{6}$/.test(code) || !CODE_SENDERS.test(d.sender.email.trim())) return;
    if (accepted.has(code) || pending.has(code)) return;
    pending.set(code, deps.now());
    queueMicrotask(() => void flush());
  });

  return () => {
    stopped = true;
    clearTimeout(timer);
    titleWatch.disconnect();
    unsubscribe();
  };
}
