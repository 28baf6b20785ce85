/**
 * Gmail markup from data, in the structure of research/gmail-dom.md and the hand-made fixtures (inbox.html,
 * thread.html): list rows (`tr.zA`), row lists (`[gh=tl]`), open conversations (collapsed `div.adf` and expanded
 * `div.adn` messages), reading panes, multiple inboxes, hidden cached views, and whole pages.
 *
 * Everything is built as a small element tree (`GNode`), which renders either to HTML (fixtures, routed pages) or,
 * inside a page, to DOM with createElement (`DOM_BUILDER_JS`, defined as `window.ttgBuild(tree)` on every page this
 * module renders), so e2e tests, the benchmark and the live replica insert rows the way Gmail does, with no HTML sink.
 *
 * Sourced: tags, classes, attributes and nesting of rows, row lists, thread and message containers (see the fixture
 * comments). Guessed: wrapper class lists, the reading-pane and multiple-inbox wrappers beyond `.aia`/`.ao9`/`[gh=tl]`,
 * and all content.
 */

/** An element: [tag, attributes, ...children]; a string is a text node. */
export type GNode = string | [string, Record<string, string>, ...GNode[]];

export interface Person {
  name: string;
  email: string;
}

export interface RowData {
  from: Person;
  subject: string;
  snippet?: string;
  unread?: boolean;
  /** 16 hex digits, Gmail's legacy thread id (also the last message id of a one-message thread). */
  threadId: string;
  /** Shown date text, e.g. "9:58 AM". */
  date?: string;
  /** Gmail's "Spam" label chip on the row (search results list spam with it; docs/gmail-warnings.md). */
  spamLabel?: boolean;
}

/**
 * Gmail's own warnings on an open message (docs/gmail-warnings.md): its banner in the header (`div.aiG`), the
 * sender shown "via" another domain after the address, or the thread's "Spam" label chip beside the subject.
 */
export type GmailWarningMarkup = 'banner' | 'via' | 'spam';
export const GMAIL_BANNER_TEXT = "Be careful with this message. It contains content that's typically used to steal personal information.";
export const VIA_DOMAIN = 'bulk-relay.example';

/** The "Spam" label chip as Gmail draws label chips (research §1.1 `div.ar.as > div.at[title] > div.au > div.av`). */
export const spamLabelNode = (): GNode => ['div', { class: 'ar as' }, ['div', { class: 'at', title: 'Spam' }, ['div', { class: 'au' }, ['div', { class: 'av' }, 'Spam']]]];

export interface MessageData {
  from: Person;
  to?: Person;
  /** 16 hex digits. */
  messageId: string;
  text: string;
  links?: { text: string; href: string; saferedirect?: string }[];
  expanded: boolean;
  date?: string;
  gmailWarning?: Exclude<GmailWarningMarkup, 'spam'>;
}

export interface ThreadData {
  threadId: string;
  subject: string;
  /** The thread carries Gmail's "Spam" label beside its subject. */
  spam?: boolean;
  messages: MessageData[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
const VOID = new Set(['img', 'input', 'col', 'br']);

export function toHtml(node: GNode): string {
  if (typeof node === 'string') return escape(node);
  const [tag, attrs, ...children] = node;
  const attrText = Object.entries(attrs).map(([k, v]) => ` ${k}="${escape(v)}"`).join('');
  if (VOID.has(tag)) return `<${tag}${attrText}>`;
  return `<${tag}${attrText}>${children.map(toHtml).join('')}</${tag}>`;
}

/** In-page DOM builder (plain JS, no HTML sink): `window.ttgBuild(tree)` → Node. */
export const DOM_BUILDER_JS = `window.ttgBuild = function build(n) {
  if (typeof n === 'string') return document.createTextNode(n);
  var el = document.createElement(n[0]);
  for (var k in n[1]) el.setAttribute(k, n[1][k]);
  for (var i = 2; i < n.length; i++) el.appendChild(build(n[i]));
  return el;
};`;

/** Gmail's "#thread-f:<decimal>" for a hex legacy id. */
export const decimalId = (hex: string) => BigInt(`0x${hex}`).toString(10);

/** A stable 16-hex-digit id from any string (fixtures and the replica derive Gmail ids from their own ids). */
export function hexId(seed: string): string {
  let h1 = 0x811c9dc5, h2 = 0x1b873593;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 2246822519) >>> 0;
  }
  return `1a${(h1 >>> 4).toString(16).padStart(7, '0')}${h2.toString(16).padStart(8, '0')}`.slice(0, 16);
}

let uid = 0;
const nextId = () => `:${(++uid).toString(36)}`;

function senderSpan(from: Person, unread: boolean): GNode {
  return ['span', { translate: 'no', class: unread ? 'zF' : 'yP', email: from.email, name: from.name, 'data-hovercard-id': from.email }, from.name];
}

function subjectSpan(r: RowData): GNode {
  return ['span', { id: nextId(), class: 'bog' }, ['span', {
    ...(r.unread ? { class: 'bqe' } : {}),
    'data-thread-id': `#thread-f:${decimalId(r.threadId)}`,
    'data-legacy-thread-id': r.threadId,
    'data-legacy-last-message-id': r.threadId,
    'data-legacy-last-non-draft-message-id': r.threadId,
  }, r.subject]];
}

/** One conversation row (vertical split: the id-bearing `tr.zA.apv` and its second `tr` with the subject). */
export function rowNodes(r: RowData, opts: { vertical?: boolean } = {}): GNode[] {
  const unread = r.unread ?? true;
  const label = nextId();
  const date = r.date ?? '9:58 AM';
  const snippet: GNode = ['span', { class: 'y2' }, ['span', { class: 'Zt' }, '\u00a0-\u00a0'], r.snippet ?? ''];
  const afn: GNode = ['div', { id: label, class: 'afn' }, `${unread ? 'unread, ' : ''}${r.from.name}, ${r.subject}, ${date}`];
  const trAttrs = { class: `zA ${unread ? 'zE' : 'yO'}${opts.vertical ? ' apv' : ''}`, jscontroller: 'ZdOxDb', id: nextId(), tabindex: '-1', role: 'row', 'aria-labelledby': label, draggable: 'false' };
  const check: GNode = ['td', { class: 'oZ-x3 xY', 'data-tooltip': 'Select' }, ['div', { class: 'oZ-jc T-Jo J-J5-Ji', role: 'checkbox', 'aria-checked': 'false', tabindex: '-1' }]];
  if (opts.vertical) {
    return [
      ['tr', trAttrs, ['td', { class: 'PF xY' }], check, ['td', { class: 'apy xY', role: 'gridcell' }, afn, ['div', { class: 'yW' }, ['span', { class: 'bA4' }, senderSpan(r.from, unread)]]],
        ['td', { class: 'yf apt xY' }, ['div', { class: 'apm' }, ['span', { title: date }, date]]]],
      ['tr', {}, ['td', { class: 'xY', colspan: '3' }, ['div', { class: 'xS', role: 'link' }, ['div', { class: 'xT' }, ...(r.spamLabel ? [spamLabelNode()] : []), ['div', { class: 'y6' }, subjectSpan(r)], snippet]], ['div', { class: 'apu' }]]],
    ];
  }
  return [['tr', trAttrs,
    ['td', { class: 'PF xY' }], check,
    ['td', { class: 'apU xY' }, ['span', { class: 'aXw T-KT', title: 'Not starred', role: 'button' }]],
    ['td', { class: 'WA xY' }, ['div', { class: 'pG', role: 'switch', 'aria-checked': 'false', 'data-is-important': 'false' }]],
    ['td', { class: 'yX xY', role: 'gridcell', tabindex: '-1' }, afn, ['div', { class: 'yW' }, ['span', { class: 'bA4' }, senderSpan(r.from, unread)]]],
    ['td', { class: 'xY a4W', role: 'gridcell', tabindex: '-1' }, ['div', { class: 'xS', role: 'link' }, ['div', { class: 'xT' }, ...(r.spamLabel ? [spamLabelNode()] : []), ['div', { class: 'y6' }, subjectSpan(r)], snippet]]],
    ['td', { class: 'byZ xY', role: 'gridcell' }],
    ['td', { class: 'yf xY' }, '\u00a0'],
    ['td', { class: 'xW xY', role: 'gridcell' }, ['span', { title: date, 'aria-label': date }, unread ? ['span', { class: 'bq3' }, date] : date]],
    ['td', { class: 'bq4 xY' }],
  ]];
}

/** The `tbody` of a row list (tests replace it whole to imitate Gmail re-rendering the page of rows). */
export function tbodyNode(rows: RowData[], opts: { vertical?: boolean } = {}): GNode {
  return ['tbody', {}, ...rows.flatMap((r) => rowNodes(r, opts))];
}

/** One `[gh=tl]` section: tab panel (when `tabLabel`), ad slot, table. */
export function rowListNode(rows: RowData[], opts: { vertical?: boolean; tabLabel?: string; sectionTitle?: string; readingPane?: boolean } = {}): GNode {
  const table: GNode = ['table', { cellpadding: '0', class: 'F cf zt', role: 'grid', 'aria-readonly': 'true' }, tbodyNode(rows, opts)];
  const cp: GNode[] = [['div', { class: 'Cp' }], ['div', { class: 'Cp' }, ['div', {}, table]]];
  const inner: GNode[] = opts.tabLabel ? [['div', { role: 'tabpanel', 'aria-label': opts.tabLabel }, ...cp]] : cp;
  const title: GNode[] = opts.sectionTitle ? [['div', { class: 'aKy' }, ['h2', { class: 'aKz' }, opts.sectionTitle]]] : [];
  return ['div', { class: `ae4 UI nH oy8Mbf${opts.readingPane ? ' aia' : ''}`, gh: 'tl' }, ...title, ...inner];
}

const TABS = ['Primary', 'Promotions', 'Social', 'Updates'];
export function categoryTabsNode(selected: string): GNode {
  return ['div', { class: 'aKh', role: 'tablist', 'aria-label': 'Inbox categories' }, ['table', { cellpadding: '0', class: 'aKk' }, ['tbody', {}, ['tr', { class: 'aAA J-KU-Jg J-KU-Jg-K9' },
    ...TABS.map((name): GNode => ['td', { class: 'aRz J-KU', role: 'heading' }, ['div', { class: `aAy${name === selected ? ' J-KU-KO' : ''}`, role: 'tab', tabindex: '-1', 'aria-label': name, 'aria-selected': String(name === selected) }, ['div', { class: 'aKo' }, name]]]),
  ]]]];
}

function messageHeader(m: MessageData): GNode {
  const sender: GNode = ['span', { email: m.from.email, name: m.from.name, 'data-hovercard-id': m.from.email, class: 'gD', role: 'gridcell', tabindex: '-1' }, m.from.name];
  const to = m.to ?? { name: 'me', email: 'alex.rivera.demo@gmail.com' };
  return ['div', { class: 'gE iv gt' }, ['table', { cellpadding: '0', class: 'cf gJ' }, ['tbody', {},
    ['tr', { class: 'acZ' },
      ['td', { class: 'gF gK' }, ['table', { cellpadding: '0', class: 'cf ix' }, ['tbody', {}, ['tr', {}, ['td', {},
        ['h3', { class: 'iw' }, sender, ' ', ['span', { class: 'go' }, `<${m.from.email}>`], ...(m.gmailWarning === 'via' ? [' via ', ['span', { class: 'afn-via' }, VIA_DOMAIN] as GNode] : [])]]]]]],
      ['td', { class: 'gH bAk' }, ['div', { class: 'gK' }, ['span', { class: 'g3', title: m.date ?? '9:12 AM' }, m.date ?? '9:12 AM']]],
      ['td', { class: 'gH' }],
    ],
    ['tr', { class: 'acZ xD' }, ['td', { colspan: '3' }, ['div', { class: 'iw ajw' }, ['span', { class: 'hb' }, 'to ', ['span', { dir: 'ltr', email: to.email, name: to.name, class: 'g2' }, to.name]]]]],
    ...(m.gmailWarning === 'banner' ? [['tr', {}, ['td', { colspan: '3' }, ['div', { class: 'aiG', role: 'alert' }, GMAIL_BANNER_TEXT]]] as GNode] : []),
  ]]];
}

function messageBody(m: MessageData): GNode {
  const lines: GNode[] = m.text.split('\n').flatMap((line, i): GNode[] => (i ? [['br', {}], line] : [line]));
  const links: GNode[] = (m.links ?? []).map((l): GNode => ['p', {}, ['a', {
    href: l.href, target: '_blank',
    'data-saferedirecturl': l.saferedirect ?? `https://www.google.com/url?q=${encodeURIComponent(l.href)}&source=gmail&ust=1790849100000000&usg=AOvVaw0`,
  }, l.text]]);
  return ['div', { class: 'ii gt' }, ['div', { class: 'a3s aiL' }, ['div', {}, ...lines], ...links]];
}

/** One message of a conversation: expanded (`div.h7 > … div.adn`) or collapsed (`div.kv > … div.adf.ads`). */
export function messageNode(m: MessageData): GNode {
  const avatar: GNode = ['div', { class: 'aju' }, ['div', { class: 'aCi' }, ['img', { class: 'ajn', jid: m.from.email, 'data-hovercard-id': m.from.email, 'data-name': m.from.name, 'aria-hidden': 'true', alt: '' }]]];
  if (!m.expanded) {
    const snippet = m.text.replace(/\s+/g, ' ').slice(0, 120);
    return ['div', { class: 'kv bg', role: 'listitem', 'aria-expanded': 'false', tabindex: '-1' }, ['div', { class: 'Bk' }, ['div', { class: 'G3 G2' }, ['div', {},
      ['div', { class: 'adf ads' }, avatar, ['div', { class: 'gs gt' }, ['div', { class: 'gE hI' }, ['table', { cellpadding: '0', role: 'presentation', class: 'cf gJ' }, ['tbody', {},
        ['tr', {}, ['td', { class: 'gF gK' }, ['span', { email: m.from.email, 'data-hovercard-id': m.from.email, name: m.from.name, class: 'gD', role: 'gridcell', tabindex: '-1' }, m.from.name]],
          ['td', { class: 'gF gK' }, ['div', { class: 'iA g6' }, snippet]]]]]]]],
    ]]]];
  }
  return ['div', { class: 'h7 ie nH oy8Mbf', role: 'listitem', 'aria-expanded': 'true', tabindex: '-1' }, ['div', { class: 'Bk' }, ['div', { class: 'G3 G2' }, ['div', {},
    ['div', { class: 'adn ads', 'data-message-id': `#msg-f:${decimalId(m.messageId)}`, 'data-legacy-message-id': m.messageId },
      avatar, ['div', { class: 'gs' }, messageHeader(m), ['div', {}, messageBody(m)]]],
  ]]]];
}

/** An open conversation (`.nH.g.id > .a98.iY`: subject bar and message list). */
export function threadNode(t: ThreadData): GNode {
  return ['div', { class: 'nH g id' }, ['div', { class: 'nH a98 iY' },
    ['div', { class: 'nH V8djrc byY' }, ['div', { class: 'ha' }, ['h2', { class: 'hP', 'data-thread-perm-id': `thread-f:${decimalId(t.threadId)}`, 'data-legacy-thread-id': t.threadId, tabindex: '-1' }, t.subject],
      ...(t.spam ? [['div', { class: 'J-J5-Ji' }, spamLabelNode()] as GNode] : [])]],
    ['div', { class: 'nH aHU' }, ['div', { class: 'nH hx' }, ['div', { class: 'nH', role: 'list' }, ...t.messages.map(messageNode)]]],
  ]];
}

/** A view root as Gmail keeps them under `div.aeF`: visible with `[role=main]`, or a hidden cached one. */
export function viewNode(content: GNode[], opts: { hidden?: boolean } = {}): GNode {
  const main: GNode = ['div', { class: 'BltHke nH oy8Mbf bGI', role: 'main' }, ['div', { class: 'D E G-atb', gh: 'tm' }], ...content];
  return opts.hidden ? ['div', { class: 'nH', style: 'display: none;' }, main] : ['div', { class: 'nH' }, main];
}

/** The reading pane (split modes): the list in `[gh=tl].aia`… and the preview `.ao9` with the open thread. */
export function readingPaneNodes(rows: RowData[], thread: ThreadData | null, mode: 'vertical' | 'horizontal'): GNode[] {
  const preview: GNode = ['div', { class: 'ao9' }, thread ? threadNode(thread) : ['div', { class: 'apa' }]];
  const list = rowListNode(rows, { vertical: mode === 'vertical', readingPane: true });
  return [['div', { class: `aia ${mode === 'vertical' ? 'aks' : 'akt'}` }, list, preview]];
}

export interface PageOptions {
  gmail?: string;
  accountName?: string;
  title?: string;
  /** Views under `div.aeF`, in order (see viewNode). */
  views: GNode[];
  /** Comment placed at the top of the document (fixtures say what is sourced and what is guessed). */
  comment?: string;
  /** Extra page script (plain JS) after the DOM builder. */
  script?: string;
  dark?: boolean;
}

const CSS = `body{margin:0;font:14px Roboto,Arial,sans-serif;color:#1f1f1f;background:#f6f8fc}
body.dark{color:#e3e3e3;background:#1f1f1f}.dark .bkK{background:#2d2e30}
header[role=banner]{height:56px;display:flex;align-items:center;gap:16px;padding:0 12px}
.bkK{margin-left:16px;background:#fff;border-radius:16px}.afn{display:none}
table.F{width:100%;border-collapse:collapse;table-layout:fixed}tr.zA{height:40px;border-bottom:1px solid #eceff1;cursor:pointer}
tr.zA.zE{font-weight:bold}td.xY{padding:0 4px;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
td.PF,td.oZ-x3,td.apU,td.WA,td.byZ,td.yf,td.bq4{width:24px}td.yX,td.apy{width:200px}td.xW{width:80px;text-align:right}
.y2{color:#5f6368;font-weight:normal}.aia{display:flex;flex-direction:column}.aia.aks{flex-direction:row}.aia>*{flex:1;min-width:0}
.ao9{padding:0 16px}h2.hP{font-size:22px;font-weight:400}.adn,.adf{padding:8px 16px}.a3s{padding:8px 0}`;

/** A whole Gmail page (account link, title with the address, views container). */
export function pageHtml(opts: PageOptions): string {
  const gmail = opts.gmail ?? 'alex.rivera.demo@gmail.com';
  const name = opts.accountName ?? 'Alex Rivera';
  const title = opts.title ?? `Inbox (4) - ${gmail} - Gmail`;
  const header: GNode = ['header', { class: 'gb_Ia gb_fd', id: 'gb', role: 'banner' },
    ['a', { class: 'gb_9d', 'aria-label': 'Gmail', href: '#inbox', title: 'Gmail' }, 'Gmail'],
    ['a', { class: 'gb_B gb_Za', 'aria-label': `Google Account: ${name} (${gmail})`, href: 'https://accounts.google.com/SignOutOptions?hl=en&continue=https://mail.google.com/mail&service=mail', role: 'button', tabindex: '0' }, name[0] ?? 'A']];
  const body: GNode = ['div', { class: 'nH', style: 'width: 100%;' }, header, ['div', { class: 'nH' }, ['div', { class: 'nH bkK' }, ['div', { class: 'nH' }, ['div', { class: 'no' }, ['div', { class: 'nH nn', style: 'width: 100%;' }, ['div', { class: 'Tm aeJ' },
    ['div', { id: ':ae', class: 'aeF', style: 'min-height: 572px;' }, ['div', { class: 'nH' }, ...opts.views]]]]]]]]];
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n${opts.comment ? `<!--\n${opts.comment.replace(/--/g, '- -')}\n-->\n` : ''}<title>${escape(title)}</title>\n<style>${CSS}</style>\n</head>\n<body class="aAU${opts.dark ? ' dark' : ''}">\n${toHtml(body)}\n<script>${DOM_BUILDER_JS}${opts.script ? `\n${opts.script}` : ''}</script>\n</body>\n</html>\n`;
}

// ---- sample data: the research's real TikTok subjects and senders, and ordinary social mail --------------------

export const TIKTOK = {
  code: { name: 'TikTok', email: 'register@account.tiktok.com' },
  account: { name: 'TikTok', email: 'noreply@account.tiktok.com' },
  notification: { name: 'TikTok', email: 'notification@service.tiktok.com' },
  business: { name: 'TikTok for Business', email: 'no-reply@notifications.tiktok.com' },
  shop: { name: 'TikTok Shop', email: 'no-reply@shop.tiktok.com' },
} satisfies Record<string, Person>;

export const OTHERS: Person[] = [
  { name: 'Instagram', email: 'no-reply@mail.instagram.com' },
  { name: 'LinkedIn', email: 'messages-noreply@linkedin.com' },
  { name: 'Pinterest', email: 'recommendations@inspire.pinterest.com' },
  { name: 'Sam Lee', email: 'sam.lee@example.org' },
];

export const IMPOSTOR: Person = { name: 'TikTok', email: 'support@tiktok-security-help.com' };

/** `n` generated rows, every 4th (index 3, 7, …) from TikTok, the rest from other senders; ids derived from `seed`. */
export function generatedRows(n: number, seed = 'bench'): RowData[] {
  const tiktokSubjects = ['123456 is your verification code', 'some_user sent you a message', 'maya.k commented on your video', 'leo_dance started following you'];
  return Array.from({ length: n }, (_, i) => {
    const tiktok = i % 4 === 3;
    return {
      from: tiktok ? ((i >> 2) % tiktokSubjects.length ? TIKTOK.notification : TIKTOK.code) : OTHERS[i % OTHERS.length]!,
      subject: tiktok ? tiktokSubjects[(i >> 2) % tiktokSubjects.length]! : `Weekly digest #${i}: what you missed`,
      snippet: tiktok ? 'Open TikTok to see more.' : 'Here is what happened while you were away.',
      threadId: hexId(`${seed}:${i}`),
      unread: i % 3 === 0,
    };
  });
}
