/**
 * THE module with Gmail selectors (research/gmail-dom.md §1). Each entry lists fallbacks, attributes first where
 * Gmail offers them; `query`/`queryAll` record which fallback matched so `selfCheck` can tell the options page
 * which parts of Gmail's layout were recognised.
 */
import type { SelectorHealth } from '@/utils/messaging/catalogue';

export const SELECTORS = {
  /** The view roots; the visible one is the current view (`div.aeF > div.nH` children hide with display:none). */
  main: ['div[role="main"]', 'div.aeF > div.nH:not([style*="none"])'],
  /** Gmail's container of cached views: its children are shown and hidden as the view changes. */
  viewContainer: ['div.aeF'],
  /** Row-list sections (one per multiple-inbox section). */
  rowList: ['[gh="tl"]', 'div.Cp', 'table[role="grid"]'],
  /** A conversation row is the `tr` with an id: the vertical pane's 2nd and 3rd lines are `tr.zA` too, without one. */
  row: ['tr.zA[id]', 'tr.zA', 'tr[role="row"][jscontroller]'],
  rowSender: ['.yW [email]', 'span[email][name]', '[email]'],
  rowIds: ['[data-legacy-last-message-id]', '[data-legacy-thread-id]', '[data-thread-id]'],
  rowSubject: ['span.bog', '.y6 > span', '[data-thread-id]'],
  /** Where the row chip goes: before the subject (`div.xT`), else the subject cell, the sender cell last. */
  rowChipSlot: ['div.xT', 'td.a4W', 'td.yX'],
  /** The same in the vertical split, whose sender cell is `td.yX.apy` on the first line and subject on the second. */
  rowChipSlotVertical: ['div.xT', 'div.apu', 'td.apD', 'td.yX'],
  /** Expanded messages; collapsed ones are `messageCollapsed`. */
  message: ['div.adn[data-legacy-message-id]', 'div.adn[data-message-id]', 'div.adn'],
  messageCollapsed: ['div.adf.ads', 'div.kv div.adf', 'div[role="listitem"][aria-expanded="false"] div.ads'],
  messageSender: ['h3 span.gD[email]', 'span.gD[email]', '[email][name]'],
  messageBody: ['div.a3s.aiL', 'div.a3s:not(.undefined)', 'div.ii.gt'],
  /** The links in a message body. */
  messageLink: ['a[href]'],
  /** What else appears when a conversation opens or a message expands: the message list items, the subject. */
  conversationItem: ['[role="listitem"]', 'h2'],
  messageHeader: ['div.gE', 'div.gs', 'table.cf.gJ'],
  threadSubject: ['h2.hP', 'h2[data-legacy-thread-id]', 'h2[data-thread-perm-id]'],
  readingPane: ['div.aia', 'div.ao9'],
  categoryTabs: ['div.aKh [role="tab"]', '[role="tablist"] [role="tab"]'],
  accountLink: [
    'a[href*="accounts.google.com/SignOutOptions"][aria-label*="@"]',
    'header a[aria-label*="@"]',
    'a[aria-label*="@"]',
  ],
  /**
   * Gmail's own warnings (docs/gmail-warnings.md, with sources). The banner Gmail puts in a message it distrusts
   * ("Be careful with this message", "This message seems dangerous", "Why is this message in spam?"): `div.aiG`
   * in the header table, `div[jsname=ohI2vc]`, `.PhishingBanner`, else any `role=alert` of Gmail's in the message
   * outside its body (ours are `.ttg-*`).
   */
  gmailWarningBanner: ['div.aiG', 'div[jsname="ohI2vc"]', '.PhishingBanner', '[role="alert"]:not([class*="ttg-"])'],
  /** The open message's sender line, where Gmail writes "via <domain>" after the address. */
  messageSenderLine: ['h3.iw', 'span.qu', 'td.gF'],
  /** Label chips: on a row (`div.ar.as > div.at[title]`, research §1.1) and on the open thread's subject (`.ha .J-J5-Ji`). */
  rowLabel: ['div.ar div.at[title]', 'div.at[title]'],
  threadLabel: ['.ha .J-J5-Ji [title]', 'div.hN', '.ha .J-J5-Ji'],
} as const;

export type SelectorName = keyof typeof SELECTORS;

/** Which fallback last matched, per selector (null: none did). */
const lastVia = new Map<SelectorName, string | null>();

export function query<E extends Element = HTMLElement>(scope: ParentNode, name: SelectorName): E | null {
  for (const selector of SELECTORS[name]) {
    const found = scope.querySelector<E & Element>(selector);
    if (found) {
      lastVia.set(name, selector);
      return found;
    }
  }
  lastVia.set(name, null);
  return null;
}

export function queryAll<E extends Element = HTMLElement>(scope: ParentNode, name: SelectorName): E[] {
  for (const selector of SELECTORS[name]) {
    const found = scope.querySelectorAll<E & Element>(selector);
    if (found.length) {
      lastVia.set(name, selector);
      return [...found];
    }
  }
  lastVia.set(name, null);
  return [];
}

/**
 * The `tr`s of one conversation row: the row itself, and in the vertical reading pane (`tr.zA.apv`) the id-less
 * `tr`s after it that hold its subject and snippet (InboxSDK's 2- and 3-line rows).
 */
export function rowLines(row: HTMLElement): HTMLElement[] {
  const lines = [row];
  if (!row.classList.contains('apv')) return lines;
  for (
    let next = row.nextElementSibling;
    next?.localName === 'tr' && !next.id && lines.length < 3;
    next = next.nextElementSibling
  ) {
    lines.push(next as HTMLElement);
  }
  return lines;
}

/** The conversation row a `tr` belongs to: itself, or for a vertical pane's later line the id-bearing `tr` above it. */
export function rowOfLine(line: HTMLElement): HTMLElement {
  let row: Element | null = line;
  for (let i = 0; row && !row.id && row.classList.contains('apv') && i < 2; i++) row = row.previousElementSibling;
  return row?.id ? (row as HTMLElement) : line;
}

/** A selector's fallbacks as one selector list, for `matches` and `closest`. */
export const anyOf = (...names: SelectorName[]): string => names.flatMap((name) => SELECTORS[name]).join(',');

const ROW = anyOf('row');

/** The row a node in a vertical split's later line belongs to: the row just above the node's own `tr`, if any. */
export function rowAboveLine(node: Element): HTMLElement | null {
  const above = node.closest?.('tr')?.previousElementSibling;
  return above?.matches(ROW) ? (above as HTMLElement) : null;
}

/** Like `query`, over all the lines of a row: each candidate is tried on every line before the next candidate. */
export function queryRow<E extends Element = HTMLElement>(row: HTMLElement, name: SelectorName): E | null {
  const lines = rowLines(row);
  for (const selector of SELECTORS[name]) {
    for (const line of lines) {
      const found = line.querySelector<E & Element>(selector);
      if (found) {
        lastVia.set(name, selector);
        return found;
      }
    }
  }
  lastVia.set(name, null);
  return null;
}

/** Where a row's chip and quick action go, chosen per layout (vertical reading pane or one-line rows). */
export const rowChipSlot = (row: HTMLElement): HTMLElement | null =>
  queryRow(row, row.classList.contains('apv') ? 'rowChipSlotVertical' : 'rowChipSlot');

/** Hidden by Gmail (an ancestor with display:none or `hidden`), checked on inline styles as Gmail hides views so. */
export function isHidden(el: Element): boolean {
  for (let node: Element | null = el; node; node = node.parentElement) {
    if ((node as HTMLElement).hidden || (node as HTMLElement).style?.display === 'none') return true;
  }
  return false;
}

/** The visible view roots (usually one; stale cached views are skipped). */
export function visibleMains(root: ParentNode = document): HTMLElement[] {
  return queryAll<HTMLElement>(root, 'main').filter((el) => !isHidden(el));
}

/** Gmail's own reasons to distrust a message (issue 11 §5): where Gmail warns, the extension offers no action. */
export type GmailWarning = 'spam' | 'banner' | 'via';

/** "Spam" as Gmail names the label in the languages the extension speaks (label chips are titled in the UI language). */
const SPAM_LABELS = new Set(['spam', 'спам', 'thư rác', '垃圾邮件', '垃圾郵件', 'pourriel', 'correo no deseado']);
/** "via" in those languages: Gmail writes `<address> via <domain>` when the mail was sent through another domain. */
const VIA = /(?:^|\s)(?:via|vía|через|thông qua|通过|經由|透過)\s+[^\s@]+\.[^\s@]+/iu;

/** The list view or open thread is Gmail's Spam folder (`#spam`, `#spam/<id>`; research §1 routes). */
export const isSpamView = (hash = typeof location === 'undefined' ? '' : location.hash) => /^#spam(?:\/|$)/i.test(hash);

const isSpamLabel = (el: Element) =>
  SPAM_LABELS.has((el.getAttribute('title') ?? el.textContent ?? '').trim().toLowerCase());

/** A list row Gmail files under Spam (the view, or its "Spam" label chip in search results). */
export function rowGmailWarning(row: Element, scopes: Element[] = [row]): GmailWarning | null {
  if (isSpamView()) return 'spam';
  return scopes.some((scope) => queryAll(scope, 'rowLabel').some(isSpamLabel)) ? 'spam' : null;
}

/** An open message Gmail warns about: its banner, "via" another domain, or the thread being in Spam. */
export function messageGmailWarning(message: Element, view: Element): GmailWarning | null {
  const body = query(message, 'messageBody');
  if (queryAll(message, 'gmailWarningBanner').some((el) => !body?.contains(el))) return 'banner';
  const line = query(message, 'messageSenderLine');
  if (line && (!body || !body.contains(line))) {
    let text = line.textContent ?? '';
    for (const part of line.querySelectorAll('[email], .go')) text = text.replace(part.textContent ?? '', ' ');
    if (VIA.test(text)) return 'via';
  }
  if (isSpamView()) return 'spam';
  return queryAll(view, 'threadLabel').some(isSpamLabel) ? 'spam' : null;
}

/** `h2.hP` etc. inside `scope`, for the open thread's subject. */
export function threadSubject(scope: ParentNode): string {
  return query(scope, 'threadSubject')?.textContent?.trim() ?? '';
}

/** The health report for the options page: counts and the fallback that matched, in the visible view. */
export function selfCheck(
  root: ParentNode = document,
  urlView = typeof location === 'undefined' ? '' : (location.hash.split('/')[0] ?? ''),
): SelectorHealth {
  const mains = visibleMains(root);
  const matched: SelectorHealth['matched'] = {};
  const record = (name: SelectorName, count: number) => {
    matched[name] = { count, via: count ? (lastVia.get(name) ?? null) : null };
  };
  record('main', mains.length);
  const names: SelectorName[] = [
    'rowList',
    'row',
    'rowSender',
    'rowIds',
    'rowSubject',
    'message',
    'messageCollapsed',
    'messageSender',
    'messageBody',
    'threadSubject',
    'readingPane',
    'categoryTabs',
  ];
  for (const name of names)
    record(
      name,
      mains.reduce((n, main) => n + queryAll(main, name).length, 0),
    );
  record('accountLink', queryAll(root, 'accountLink').length);
  const rowsOk =
    (matched.row?.count ?? 0) === 0 || ((matched.rowSender?.count ?? 0) > 0 && (matched.rowIds?.count ?? 0) > 0);
  const messagesOk = (matched.message?.count ?? 0) === 0 || (matched.messageSender?.count ?? 0) > 0;
  const ok =
    mains.length > 0 &&
    ((matched.row?.count ?? 0) > 0 || (matched.message?.count ?? 0) + (matched.messageCollapsed?.count ?? 0) > 0) &&
    rowsOk &&
    messagesOk;
  return { checked_at: new Date().toISOString(), url_view: urlView, matched, ok };
}
