/**
 * TikTok mail Gmail warned about when it was open (banner, "via"): Gmail draws those only inside the message, so its
 * list row would look like any other. Once seen open, the row of that message (its legacy message id, which a
 * one-message thread's row carries as its last message id) gets the same warning and no action for the rest of the
 * page's life. Bounded; ids only.
 */
import type { GmailWarning } from '@/utils/gmail/selectors';

const warned = new Map<string, GmailWarning>();
const MAX = 5_000;

export function rememberWarned(messageKey: string, warning: GmailWarning): void {
  if (warned.size >= MAX) warned.clear();
  warned.set(messageKey, warning);
}

export const warnedBefore = (rowKey: string): GmailWarning | null => warned.get(rowKey) ?? null;
