/** Tells the background which Gmail account this tab shows: the address from the page, the index from /mail/u/N/. */
import { send } from '@/utils/messaging';
import { query } from '@/utils/gmail/selectors';

const ADDRESS = /[^\s()<>"',;:]+@[^\s()<>"',;:]+\.[a-z]{2,}/i;

export function signedInAddress(doc: Document = document): string | null {
  // "Inbox (4) - user@gmail.com - Gmail"
  const fromTitle = doc.title.split(' - ').map((part) => part.trim()).find((part) => ADDRESS.test(part) && ADDRESS.exec(part)![0] === part);
  if (fromTitle) return fromTitle.toLowerCase();
  const label = query(doc, 'accountLink')?.getAttribute('aria-label') ?? '';
  return ADDRESS.exec(label)?.[0].toLowerCase() ?? null;
}

export function accountIndex(path: string = location.pathname): number {
  const n = Number(/\/mail\/u\/(\d{1,2})(\/|$)/.exec(path)?.[1] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

let lastReported = '';
export async function reportAccount(): Promise<string | null> {
  const gmail = signedInAddress();
  if (!gmail) return null;
  const account_index = accountIndex();
  const id = `${gmail}#${account_index}`;
  if (id !== lastReported) {
    lastReported = id;
    await send('reportGmailAccount', { gmail, account_index });
  }
  return gmail;
}
