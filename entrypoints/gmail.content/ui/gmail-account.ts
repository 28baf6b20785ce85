/** The signed-in Gmail address of this tab: from the account button's label, else from the page title. */
import { query } from '@/utils/gmail/selectors';

const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;

export function currentGmail(doc: Document = document): string | null {
  const label = query(doc, 'accountLink')?.getAttribute('aria-label') ?? '';
  const found = EMAIL_RE.exec(label)?.[0] ?? EMAIL_RE.exec(doc.title.split(' - ').slice(-2, -1)[0] ?? '')?.[0];
  return found ? found.toLowerCase() : null;
}
