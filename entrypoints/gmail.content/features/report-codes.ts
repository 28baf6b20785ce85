/**
 * Sends the background the 6-digit codes of genuine TikTok code emails in view (from register@ / noreply@
 * account.tiktok.com), so the link flow can fill the code in for the user.
 *
 * A code stays pending until the worker has accepted it: while the page does not show its signed-in address yet, or
 * the worker does not answer (starting, stopped, busy) or refuses (this tab's account report not stored yet), it is
 * sent again with a short backoff, and at once when the address becomes known. Accepted codes are not sent again.
 */
import { send } from '@/utils/messaging';
import { tabAccount } from '../account';
import { startDelivery } from '../delivery';
import { subscribe } from '../detected';
import { features } from '../feature-registry';

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

export function startReportingCodes(deps: ReportCodesDeps = { send, address: tabAccount, now: Date.now }): () => void {
  /** code → when it was first seen (ms), in the order seen; an accepted code is not sent again. */
  const delivery = startDelivery<number>({
    deliver: (batch) => {
      const gmail = deps.address();
      if (!gmail) return null;
      return deps.send('reportCodes', {
        gmail,
        codes: batch.map(([code, seen]) => ({ code, seen_at: new Date(seen).toISOString() })),
      });
    },
    batchMs: 0,
    retryMs: RETRY_MS,
    maxBatch: BATCH,
    expired: (seen) => deps.now() - seen > GIVE_UP_MS,
  });

  // The address appears in the title once Gmail has loaded: send what waits for it straight away.
  const titleWatch = new MutationObserver(() => {
    if (deps.address()) delivery.sendNow();
  });
  const head = document.head ?? document.documentElement;
  titleWatch.observe(head, { subtree: true, childList: true, characterData: true });

  const unsubscribe = subscribe((d) => {
    const code = d.facts.code;
    if (d.kind !== 'code' || !code || !/^\d{6}$/.test(code) || !CODE_SENDERS.test(d.sender.email.trim())) return;
    delivery.add(code, deps.now());
  });

  return () => {
    delivery.stop();
    titleWatch.disconnect();
    unsubscribe();
  };
}

features.add({ id: 'report-codes', start: () => startReportingCodes() });
