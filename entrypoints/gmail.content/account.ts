/**
 * Which Gmail account this tab shows, and telling the background (`reportAccount`): the address from the page, the
 * index from /mail/u/N/. The account is the first one this document showed (`tabAccount`): the page can rewrite its
 * title or account label later, but that does not move our actions, codes or reads to another account (the background
 * holds the tab to it too).
 */
import { send } from '@/utils/messaging';
import { query } from '@/utils/gmail/selectors';

const ADDRESS = /[^\s()<>"',;:]+@[^\s()<>"',;:]+\.[a-z]{2,}/i;

export function signedInAddress(doc: Document = document): string | null {
  // "Inbox (4) - user@gmail.com - Gmail"
  const fromTitle = doc.title
    .split(' - ')
    .map((part) => part.trim())
    .find((part) => ADDRESS.test(part) && ADDRESS.exec(part)![0] === part);
  if (fromTitle) return fromTitle.toLowerCase();
  const label = query(doc, 'accountLink')?.getAttribute('aria-label') ?? '';
  return ADDRESS.exec(label)?.[0].toLowerCase() ?? null;
}

export function accountIndex(path: string = location.pathname): number {
  const n = Number(/\/mail\/u\/(\d{1,2})(\/|$)/.exec(path)?.[1] ?? 0);
  return Number.isFinite(n) ? n : 0;
}

let fixed: string | null = null;
/** The account this tab showed first (null until the page shows one). */
export function tabAccount(): string | null {
  fixed ??= signedInAddress();
  return fixed;
}

/** Random per document: the background fixes the tab's account per document (a reload may switch accounts). */
const PAGE_ID = crypto.randomUUID();

let lastReported = '';
export async function reportAccount(): Promise<string | null> {
  const gmail = tabAccount();
  if (!gmail) return null;
  const account_index = accountIndex();
  const id = `${gmail}#${account_index}`;
  if (id !== lastReported) {
    lastReported = id;
    await send('reportGmailAccount', { gmail, account_index, page_id: PAGE_ID });
  }
  return gmail;
}
