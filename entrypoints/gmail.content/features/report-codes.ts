/**
 * Sends the background the 6-digit codes of genuine TikTok code emails in view (from register@ / noreply@
 * account.tiktok.com), so the link flow can fill the code in for the user. Each code is sent once.
 */
import { send } from '@/utils/messaging';
import { subscribe } from '../detected';
import { signedInAddress } from './report-account';

const CODE_SENDERS = /^(register|noreply)@account\.tiktok\.com$/i;

export function startReportingCodes(): () => void {
  const sent = new Set<string>();
  let pending: { code: string; seen_at: string }[] = [];
  let flushing = false;
  const flush = () => {
    if (flushing) return;
    flushing = true;
    queueMicrotask(async () => {
      flushing = false;
      const gmail = signedInAddress();
      const codes = pending.slice(0, 20);
      pending = pending.slice(20);
      if (gmail && codes.length) await send('reportCodes', { gmail, codes });
      if (pending.length) flush();
    });
  };
  return subscribe((d) => {
    const code = d.facts.code;
    if (d.kind !== 'code' || !code || !/^\d{6}$/.test(code) || !CODE_SENDERS.test(d.sender.email.trim()) || sent.has(code)) return;
    sent.add(code);
    pending.push({ code, seen_at: new Date().toISOString() });
    flush();
  });
}
