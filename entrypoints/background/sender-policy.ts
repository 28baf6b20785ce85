/**
 * Who may act for which Gmail address: extension pages for any, the Gmail content script (and the composer frames in
 * its tab) only for the address its tab reported (`gmail-tabs.ts`). Every handler that acts for an address asks here.
 */
import { AppError } from '@/utils/api/errors';
import { normaliseGmail } from '@/utils/gmail-address';
import type { SenderInfo } from '@/utils/messaging/router';
import { reportedGmailOfTab } from './gmail-tabs';

/**
 * The Gmail addresses a sender may act for: every address for extension pages (`null`), only the address its tab
 * reported for the Gmail content script.
 */
export async function allowedGmail(sender: SenderInfo): Promise<string | null> {
  if (sender.kind === 'page') return null;
  const tab = await reportedGmailOfTab(sender.tabId);
  if (!tab) throw new AppError('forbidden_sender', 'This Gmail tab has not reported its account yet.');
  return tab.gmail;
}

/** Throws `forbidden_sender` unless `sender` may act for `gmail`. */
export async function assertMayActFor(sender: SenderInfo, gmail: string): Promise<void> {
  const allowed = await allowedGmail(sender);
  if (allowed !== null && allowed !== normaliseGmail(gmail)) {
    throw new AppError('forbidden_sender', 'A Gmail tab may only act for the Gmail account it shows.');
  }
}
