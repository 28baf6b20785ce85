/**
 * Gmail markup from data, in the structure of research/gmail-dom.md and the research fixtures (inbox.html,
 * thread.html): the page (header with search and account, left navigation with counts, views), list toolbars and
 * pager, category tabs, list rows (`tr.zA`, and the 3-line rows of the vertical reading pane), row lists (`[gh=tl]`),
 * open conversations (collapsed `div.adf` and expanded `div.adn` messages with Gmail's header, HTML body and the
 * Reply/Forward footer), reading panes, multiple inboxes and hidden cached views. It looks like Gmail too: Gmail's
 * own layout, type and colours (Material 3), icons drawn in CSS on Gmail's icon elements as Gmail does.
 *
 * Everything is built as a small element tree (`GNode`), which renders either to HTML (fixtures, routed pages) or,
 * inside a page, to DOM with createElement (`DOM_BUILDER_JS`, defined as `window.ttgBuild(tree)` on every page this
 * module renders), so e2e tests, the benchmark and the live replica insert rows the way Gmail does, with no HTML sink.
 *
 * Sourced: tags, classes, attributes and nesting of the header, navigation, toolbars, tabs, rows (the vertical 3-line
 * row from InboxSDK's thread-row-parser test), row lists, thread and message containers (see the fixture comments).
 * Guessed: wrapper class lists, which icon sits on which unsourced element, the CSS, and all content. TikTok email
 * bodies follow research/tiktok-emails.md (the TikTok template: logo, heading, code box, red button, grey footer).
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
  /** Full date for the `title`, e.g. "Tue, Dec 1, 2026, 9:58 AM". */
  dateTitle?: string;
  starred?: boolean;
  /** User label chips shown before the subject. */
  labels?: string[];
  /** Gmail's "Spam" label chip on the row (search results list spam with it; docs/gmail-warnings.md). */
  spamLabel?: boolean;
}

/**
 * Gmail's own warnings on an open message (docs/gmail-warnings.md): its banner in the header (`div.aiG`), the
 * sender shown "via" another domain after the address, or the thread's "Spam" label chip beside the subject.
 */
export type GmailWarningMarkup = 'banner' | 'via' | 'spam';
export const GMAIL_BANNER_TEXT =
  "Be careful with this message. It contains content that's typically used to steal personal information.";
export const VIA_DOMAIN = 'bulk-relay.example';

export interface MessageData {
  from: Person;
  to?: Person;
  /** 16 hex digits. */
  messageId: string;
  text: string;
  links?: { text: string; href: string; saferedirect?: string }[];
  expanded: boolean;
  date?: string;
  dateTitle?: string;
  gmailWarning?: Exclude<GmailWarningMarkup, 'spam'>;
}

export interface ThreadData {
  threadId: string;
  subject: string;
  /** The thread carries Gmail's "Spam" label beside its subject. */
  spam?: boolean;
  messages: MessageData[];
  labels?: string[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ESCAPES[c]!);
const VOID = new Set(['img', 'input', 'col', 'br', 'path']);

export function toHtml(node: GNode): string {
  if (typeof node === 'string') return escape(node);
  const [tag, attrs, ...children] = node;
  const attrText = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${escape(v)}"`)
    .join('');
  if (VOID.has(tag)) return tag === 'path' ? `<path${attrText}></path>` : `<${tag}${attrText}>`;
  return `<${tag}${attrText}>${children.map(toHtml).join('')}</${tag}>`;
}

/** In-page DOM builder (plain JS, no HTML sink): `window.ttgBuild(tree)` → Node. SVG elements get their namespace. */
export const DOM_BUILDER_JS = `window.ttgBuild = function build(n, svg) {
  if (typeof n === 'string') return document.createTextNode(n);
  svg = svg || n[0] === 'svg';
  var el = svg ? document.createElementNS('http://www.w3.org/2000/svg', n[0]) : document.createElement(n[0]);
  for (var k in n[1]) el.setAttribute(k, n[1][k]);
  for (var i = 2; i < n.length; i++) el.appendChild(build(n[i], svg));
  return el;
};`;

/** Gmail's "#thread-f:<decimal>" for a hex legacy id. */
export const decimalId = (hex: string) => BigInt(`0x${hex}`).toString(10);

/** A stable 16-hex-digit id from any string (fixtures and the replica derive Gmail ids from their own ids). */
export function hexId(seed: string): string {
  let h1 = 0x811c9dc5,
    h2 = 0x1b873593;
  for (let i = 0; i < seed.length; i++) {
    h1 = Math.imul(h1 ^ seed.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ seed.charCodeAt(i), 2246822519) >>> 0;
  }
  return `1a${(h1 >>> 4).toString(16).padStart(7, '0')}${h2.toString(16).padStart(8, '0')}`.slice(0, 16);
}

let uid = 0;
const nextId = () => `:${(++uid).toString(36)}`;

/* ---- icons: Material paths, drawn by CSS masks on Gmail's icon elements (Gmail draws its icons in CSS too) ---- */

const ICONS: Record<string, string> = {
  menu: 'M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z',
  search:
    'M20.49 19l-5.73-5.73C15.53 12.2 16 10.91 16 9.5A6.5 6.5 0 1 0 9.5 16c1.41 0 2.7-.47 3.77-1.24L19 20.49 20.49 19zM5 9.5C5 7.01 7.01 5 9.5 5S14 7.01 14 9.5 11.99 14 9.5 14 5 11.99 5 9.5z',
  tune: 'M3 17v2h6v-2H3zM3 5v2h10V5H3zm10 16v-2h8v-2h-8v-2h-2v6h2zM7 9v2H3v2h4v2h2V9H7zm14 4v-2H11v2h10zm-6-4h2V7h4V5h-4V3h-2v6z',
  help: 'M11 18h2v-2h-2v2zm1-16C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm0 18c-4.41 0-8-3.59-8-8s3.59-8 8-8 8 3.59 8 8-3.59 8-8 8zm0-14c-2.21 0-4 1.79-4 4h2c0-1.1.9-2 2-2s2 .9 2 2c0 2-3 1.75-3 5h2c0-2.25 3-2.5 3-5 0-2.21-1.79-4-4-4z',
  settings:
    'M19.14 12.94c.04-.3.06-.61.06-.94 0-.32-.02-.64-.07-.94l2.03-1.58c.18-.14.23-.41.12-.61l-1.92-3.32c-.12-.22-.37-.29-.59-.22l-2.39.96c-.5-.38-1.03-.7-1.62-.94l-.36-2.54c-.04-.24-.24-.41-.48-.41h-3.84c-.24 0-.43.17-.47.41l-.36 2.54c-.59.24-1.13.57-1.62.94l-2.39-.96c-.22-.08-.47 0-.59.22L2.74 8.87c-.12.21-.08.47.12.61l2.03 1.58c-.05.3-.09.63-.09.94s.02.64.07.94l-2.03 1.58c-.18.14-.23.41-.12.61l1.92 3.32c.12.22.37.29.59.22l2.39-.96c.5.38 1.03.7 1.62.94l.36 2.54c.05.24.24.41.48.41h3.84c.24 0 .44-.17.47-.41l.36-2.54c.59-.24 1.13-.56 1.62-.94l2.39.96c.22.08.47 0 .59-.22l1.92-3.32c.12-.22.07-.47-.12-.61l-2.01-1.58zM12 15.6c-1.98 0-3.6-1.62-3.6-3.6s1.62-3.6 3.6-3.6 3.6 1.62 3.6 3.6-1.62 3.6-3.6 3.6z',
  apps: 'M4 8h4V4H4v4zm6 12h4v-4h-4v4zm-6 0h4v-4H4v4zm0-6h4v-4H4v4zm6 0h4v-4h-4v4zm6-10v4h4V4h-4zm-6 4h4V4h-4v4zm6 6h4v-4h-4v4zm0 6h4v-4h-4v4z',
  edit: 'M3 17.25V21h3.75L17.81 9.94l-3.75-3.75L3 17.25zM20.71 7.04c.39-.39.39-1.02 0-1.41l-2.34-2.34c-.39-.39-1.02-.39-1.41 0l-1.83 1.83 3.75 3.75 1.83-1.83z',
  inbox:
    'M19 3H4.99c-1.11 0-1.98.89-1.98 2L3 19c0 1.1.88 2 1.99 2H19c1.1 0 2-.9 2-2V5c0-1.11-.9-2-2-2zm0 12h-4c0 1.66-1.35 3-3 3s-3-1.34-3-3H4.99V5H19v10z',
  star: 'M22 9.24l-7.19-.62L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21 12 17.27 18.18 21l-1.63-7.03L22 9.24zM12 15.4l-3.76 2.27 1-4.28-3.32-2.88 4.38-.38L12 6.1l1.71 4.04 4.38.38-3.32 2.88 1 4.28L12 15.4z',
  starFilled: 'M12 17.27L18.18 21l-1.64-7.03L22 9.24l-7.19-.61L12 2 9.19 8.63 2 9.24l5.46 4.73L5.82 21z',
  clock:
    'M11.99 2C6.47 2 2 6.48 2 12s4.47 10 9.99 10C17.52 22 22 17.52 22 12S17.52 2 11.99 2zM12 20c-4.42 0-8-3.58-8-8s3.58-8 8-8 8 3.58 8 8-3.58 8-8 8zm.5-13H11v6l5.25 3.15.75-1.23-4.5-2.67z',
  important: 'M4 18.99h11c.67 0 1.27-.32 1.63-.83L21 12l-4.37-6.16C16.27 5.33 15.67 5 15 5H4l5 7-5 6.99z',
  send: 'M2.01 21L23 12 2.01 3 2 10l15 2-15 2z',
  draft: 'M6 2c-1.1 0-1.99.9-1.99 2L4 20c0 1.1.89 2 1.99 2H18c1.1 0 2-.9 2-2V8l-6-6H6zm7 7V3.5L18.5 9H13z',
  expand: 'M16.59 8.59L12 13.17 7.41 8.59 6 10l6 6 6-6z',
  label:
    'M17.63 5.84C17.27 5.33 16.67 5 16 5L5 5.01C3.9 5.01 3 5.9 3 7v10c0 1.1.9 1.99 2 1.99L16 19c.67 0 1.27-.33 1.63-.84L22 12l-4.37-6.16z',
  add: 'M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z',
  refresh:
    'M17.65 6.35C16.2 4.9 14.21 4 12 4c-4.42 0-7.99 3.58-7.99 8s3.57 8 7.99 8c3.73 0 6.84-2.55 7.73-6h-2.08c-.82 2.33-3.04 4-5.65 4-3.31 0-6-2.69-6-6s2.69-6 6-6c1.66 0 3.14.69 4.22 1.78L13 11h7V4l-2.35 2.35z',
  more: 'M12 8c1.1 0 2-.9 2-2s-.9-2-2-2-2 .9-2 2 .9 2 2 2zm0 2c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2zm0 6c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2z',
  prev: 'M15.41 7.41L14 6l-6 6 6 6 1.41-1.41L10.83 12z',
  next: 'M10 6L8.59 7.41 13.17 12l-4.58 4.59L10 18l6-6z',
  back: 'M20 11H7.83l5.59-5.59L12 4l-8 8 8 8 1.41-1.41L7.83 13H20v-2z',
  archive:
    'M20.54 5.23l-1.39-1.68C18.88 3.21 18.47 3 18 3H6c-.47 0-.88.21-1.16.55L3.46 5.23C3.17 5.57 3 6.02 3 6.5V19c0 1.1.9 2 2 2h14c1.1 0 2-.9 2-2V6.5c0-.48-.17-.93-.46-1.27zM12 17.5L6.5 12H10v-2h4v2h3.5L12 17.5zM5.12 5l.81-1h12l.94 1H5.12z',
  spam: 'M15.73 3H8.27L3 8.27v7.46L8.27 21h7.46L21 15.73V8.27L15.73 3zM19 14.9L14.9 19H9.1L5 14.9V9.1L9.1 5h5.8L19 9.1v5.8zM11 7h2v6h-2zm0 8h2v2h-2z',
  delete: 'M6 19c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z',
  unread:
    'M20 4H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V6c0-1.1-.9-2-2-2zm0 4l-8 5-8-5V6l8 5 8-5v2z',
  move: 'M20 6h-8l-2-2H4c-1.1 0-1.99.9-1.99 2L2 18c0 1.1.9 2 2 2h16c1.1 0 2-.9 2-2V8c0-1.1-.9-2-2-2zm-6 12v-3h-4v-4h4V8l5 5-5 5z',
  reply: 'M10 9V5l-7 7 7 7v-4.1c5 0 8.5 1.6 11 5.1-1-5-4-10-11-11z',
  forward: 'M14 9V5l7 7-7 7v-4.1c-5 0-8.5 1.6-11 5.1 1-5 4-10 11-11z',
  print:
    'M19 8H5c-1.66 0-3 1.34-3 3v6h4v4h12v-4h4v-6c0-1.66-1.34-3-3-3zm-3 11H8v-5h8v5zm3-7c-.55 0-1-.45-1-1s.45-1 1-1 1 .45 1 1-.45 1-1 1zm-1-9H6v4h12V3z',
  openNew:
    'M19 19H5V5h7V3H5c-1.11 0-2 .9-2 2v14c0 1.1.89 2 2 2h14c1.1 0 2-.9 2-2v-7h-2v7zM14 3v2h3.59l-9.83 9.83 1.41 1.41L19 6.41V10h2V3h-7z',
  promotions:
    'M21.41 11.58l-9-9C12.05 2.22 11.55 2 11 2H4c-1.1 0-2 .9-2 2v7c0 .55.22 1.05.59 1.42l9 9c.36.36.86.58 1.41.58.55 0 1.05-.22 1.41-.59l7-7c.37-.36.59-.86.59-1.41 0-.55-.23-1.06-.59-1.42zM5.5 7C4.67 7 4 6.33 4 5.5S4.67 4 5.5 4 7 4.67 7 5.5 6.33 7 5.5 7z',
  social:
    'M16 11c1.66 0 2.99-1.34 2.99-3S17.66 5 16 5c-1.66 0-3 1.34-3 3s1.34 3 3 3zm-8 0c1.66 0 2.99-1.34 2.99-3S9.66 5 8 5C6.34 5 5 6.34 5 8s1.34 3 3 3zm0 2c-2.33 0-7 1.17-7 3.5V19h14v-2.5c0-2.33-4.67-3.5-7-3.5zm8 0c-.29 0-.62.02-.97.05 1.16.84 1.97 1.97 1.97 3.45V19h6v-2.5c0-2.33-4.67-3.5-7-3.5z',
  updates: 'M12 2C6.48 2 2 6.48 2 12s4.48 10 10 10 10-4.48 10-10S17.52 2 12 2zm1 15h-2v-6h2v6zm0-8h-2V7h2v2z',
};

const iconCss = (selector: string, icon: keyof typeof ICONS, size = 20) => {
  const url = `url("data:image/svg+xml,${encodeURIComponent(`<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'><path d='${ICONS[icon]}'/></svg>`)}")`;
  return `${selector}{-webkit-mask:${url} center/${size}px no-repeat;mask:${url} center/${size}px no-repeat;background-color:currentColor}`;
};

/** An icon element: Gmail's classes, drawn by the `ti-<icon>` CSS rule. */
const icon = (name: keyof typeof ICONS, cls = ''): GNode => [
  'div',
  { class: `${cls} ti ti-${name}`.trim(), 'aria-hidden': 'true' },
];

/** A toolbar button as Gmail writes them: `div.T-I.J-J5-Ji[role=button][aria-label][data-tooltip]`. */
const button = (label: string, name: keyof typeof ICONS, cls = ''): GNode => [
  'div',
  {
    class: `T-I J-J5-Ji ${cls} T-I-ax7 L3`.replace(/\s+/g, ' '),
    role: 'button',
    tabindex: '0',
    'aria-label': label,
    'data-tooltip': label,
  },
  ['div', { class: 'asa' }, icon(name, 'T-I-J3 J-J5-Ji')],
];

/* ---- list rows ---------------------------------------------------------------------------------------------- */

function senderSpan(from: Person, unread: boolean): GNode {
  return [
    'span',
    {
      translate: 'no',
      class: unread ? 'zF' : 'yP',
      email: from.email,
      name: from.name,
      'data-hovercard-id': from.email,
    },
    from.name,
  ];
}

function subjectSpan(r: RowData): GNode {
  return [
    'span',
    { id: nextId(), class: 'bog' },
    [
      'span',
      {
        ...((r.unread ?? true) ? { class: 'bqe' } : {}),
        'data-thread-id': `#thread-f:${decimalId(r.threadId)}`,
        'data-legacy-thread-id': r.threadId,
        'data-legacy-last-message-id': r.threadId,
        'data-legacy-last-non-draft-message-id': r.threadId,
      },
      r.subject,
    ],
  ];
}

const LABEL_COLOURS: Record<string, string> = {
  Spam: '#dddddd',
  Work: '#a4c2f4',
  Travel: '#b3efd3',
  Receipts: '#fcdee8',
  Family: '#fdfd96',
};

/** A label chip (`div.ar.as > div.at[title] > div.au > div.av`). */
function labelChip(name: string): GNode {
  const colour = LABEL_COLOURS[name] ?? '#dddddd';
  return [
    'div',
    { class: 'ar as', 'data-tooltip': `Search for all messages with label ${name}` },
    [
      'div',
      { class: 'at', title: name, style: `background-color: ${colour}; border-color: ${colour};` },
      ['div', { class: 'au', style: `border-color: ${colour};` }, ['div', { class: 'av' }, name]],
    ],
  ];
}

const starNode = (starred: boolean): GNode => [
  'span',
  {
    class: `aXw T-KT${starred ? ' T-KT-Jp' : ''}`,
    title: starred ? 'Starred' : 'Not starred',
    'aria-label': starred ? 'Starred' : 'Not starred',
    role: 'button',
  },
  icon(starred ? 'starFilled' : 'star', 'T-KT-JX'),
];

const checkboxNode = (prefix: 'oZ' | 'apo'): GNode => [
  'div',
  {
    class: `${prefix}-jc T-Jo J-J5-Ji`,
    role: 'checkbox',
    'aria-checked': 'false',
    'aria-label': 'Select',
    tabindex: '-1',
  },
  ['div', { class: 'T-Jo-auh' }],
];

const importantNode = (): GNode => [
  'div',
  { class: 'pG', role: 'switch', 'aria-checked': 'false', 'aria-label': 'Not important', 'data-is-important': 'false' },
  icon('important', 'pH-A7'),
];

/** One conversation row; in the vertical split the 3 `tr`s of InboxSDK's thread-row-parser test (id on the first). */
export function rowNodes(r: RowData, opts: { vertical?: boolean } = {}): GNode[] {
  const unread = r.unread ?? true;
  const label = nextId();
  const date = r.date ?? '9:58 AM';
  const dateTitle = r.dateTitle ?? date;
  const snippetText = r.snippet ?? '';
  const afn: GNode = [
    'div',
    { id: label, class: 'afn' },
    `${unread ? 'unread, ' : ''}${r.from.name}, ${r.subject}, ${date}, ${snippetText}`,
  ];
  const sender: GNode = ['div', { class: 'yW' }, ['span', { class: 'bA4' }, senderSpan(r.from, unread)]];
  const dateSpan: GNode = [
    'span',
    { title: dateTitle, 'aria-label': dateTitle },
    unread ? ['span', { class: 'bq3' }, date] : date,
  ];
  const labels = [...(r.spamLabel ? ['Spam'] : []), ...(r.labels ?? [])].map(labelChip);
  const trAttrs = {
    class: `zA ${unread ? 'zE' : 'yO'}${opts.vertical ? ' apv' : ''}`,
    jscontroller: 'ZdOxDb',
    id: nextId(),
    tabindex: '-1',
    role: 'row',
    'aria-labelledby': label,
    draggable: 'false',
  };
  if (opts.vertical) {
    const lineClass = `zA ${unread ? 'zE' : 'yO'} apv`;
    return [
      [
        'tr',
        trAttrs,
        ['td', { rowspan: '3', class: 'PF xY' }],
        ['td', { rowspan: '3', class: 'apo-x3 xY aid' }, checkboxNode('apo')],
        ['td', { class: 'yX xY apy' }, afn, sender],
        ['td', { class: 'yf xY apt' }, ['div', { class: 'apm' }, dateSpan]],
        ['td', { rowspan: '3', class: 'apU apC' }, starNode(!!r.starred)],
      ],
      [
        'tr',
        { class: lineClass },
        [
          'td',
          { colspan: '2', tabindex: '0', role: 'link', class: 'xY apD' },
          ['div', { class: 'apn apd' }, importantNode()],
          ['div', { class: 'xS' }, ['div', { class: 'xT' }, ['div', { class: 'y6' }, subjectSpan(r)]]],
        ],
      ],
      [
        'tr',
        { class: `${lineClass} apw` },
        [
          'td',
          { colspan: '2', class: 'xY apA' },
          ['div', { class: 'apB' }, ['div', { class: 'apu' }, ...labels], ['div', { class: 'y2 apz' }, snippetText]],
        ],
      ],
    ];
  }
  const snippet: GNode = ['span', { class: 'y2' }, ['span', { class: 'Zt' }, '\u00a0-\u00a0'], snippetText];
  return [
    [
      'tr',
      trAttrs,
      ['td', { class: 'PF xY' }],
      ['td', { class: 'oZ-x3 xY', 'data-tooltip': 'Select' }, checkboxNode('oZ')],
      ['td', { class: 'apU xY' }, starNode(!!r.starred)],
      ['td', { class: 'WA xY' }, importantNode()],
      ['td', { class: 'yX xY', role: 'gridcell', tabindex: '-1' }, afn, sender],
      [
        'td',
        { class: 'xY a4W', role: 'gridcell', tabindex: '-1' },
        [
          'div',
          { class: 'xS', role: 'link' },
          ['div', { class: 'xT' }, ...labels, ['div', { class: 'y6' }, subjectSpan(r)], snippet],
        ],
      ],
      ['td', { class: 'byZ xY', role: 'gridcell' }],
      ['td', { class: 'yf xY' }, '\u00a0'],
      ['td', { class: 'xW xY', role: 'gridcell' }, dateSpan],
      ['td', { class: 'bq4 xY' }],
    ],
  ];
}

/** The `tbody` of a row list (tests replace it whole to imitate Gmail re-rendering the page of rows). */
export function tbodyNode(rows: RowData[], opts: { vertical?: boolean } = {}): GNode {
  return ['tbody', {}, ...rows.flatMap((r) => rowNodes(r, opts))];
}

/** One `[gh=tl]` section: tab panel (when `tabLabel`), ad slot, table. */
export function rowListNode(
  rows: RowData[],
  opts: { vertical?: boolean; tabLabel?: string; sectionTitle?: string; readingPane?: boolean } = {},
): GNode {
  const table: GNode = [
    'table',
    { cellpadding: '0', class: 'F cf zt', role: 'grid', 'aria-readonly': 'true' },
    tbodyNode(rows, opts),
  ];
  const cp: GNode[] = [
    ['div', { class: 'Cp' }],
    ['div', { class: 'Cp' }, ['div', {}, table]],
  ];
  const inner: GNode[] = opts.tabLabel ? [['div', { role: 'tabpanel', 'aria-label': opts.tabLabel }, ...cp]] : cp;
  const title: GNode[] = opts.sectionTitle
    ? [['div', { class: 'aKy' }, ['h2', { class: 'aKz' }, opts.sectionTitle]]]
    : [];
  return ['div', { class: `ae4 UI nH oy8Mbf${opts.readingPane ? ' aia' : ''}`, gh: 'tl' }, ...title, ...inner];
}

const TABS: [name: string, icon: keyof typeof ICONS, tooltip: string][] = [
  ['Primary', 'inbox', "Person-to-person conversations and messages that don't appear in other tabs."],
  ['Promotions', 'promotions', 'Deals, offers, and other promotional emails.'],
  [
    'Social',
    'social',
    'Messages from social networks, media-sharing sites, online dating services, and other social websites.',
  ],
  ['Updates', 'updates', 'Notifications such as confirmations, receipts, bills, and statements.'],
];

/** The category tab bar; `news` gives a tab its "N new" badge and the senders Gmail lists under its name. */
export function categoryTabsNode(
  selected: string,
  news: Record<string, { count: number; senders: string }> = {},
): GNode {
  return [
    'div',
    { class: 'aKh', role: 'tablist', 'aria-label': 'Inbox categories' },
    [
      'table',
      { cellpadding: '0', class: 'aKk' },
      [
        'tbody',
        {},
        [
          'tr',
          { class: 'aAA J-KU-Jg J-KU-Jg-K9' },
          ...TABS.map(([name, glyph, tooltip]): GNode => {
            const on = name === selected;
            const fresh = news[name];
            return [
              'td',
              { class: 'aRz J-KU', role: 'heading', 'aria-level': '3' },
              [
                'div',
                {
                  class: `aAy${on ? ' J-KU-KO' : ''} aIf-aLe`,
                  role: 'tab',
                  tabindex: on ? '0' : '-1',
                  'aria-label': name,
                  'aria-selected': String(on),
                  'data-tooltip': tooltip,
                  'data-tab': name.toLowerCase(),
                },
                [
                  'div',
                  { class: 'aKo' },
                  icon(glyph, 'aKp'),
                  [
                    'div',
                    { class: 'aKw' },
                    [
                      'div',
                      { class: 'aKz' },
                      name,
                      ...(fresh
                        ? [['span', { class: `aDG aDG-${name.toLowerCase()}` }, `${fresh.count} new`] as GNode]
                        : []),
                    ],
                    ...(fresh ? [['div', { class: 'aKx' }, fresh.senders] as GNode] : []),
                  ],
                ],
                ['div', { class: 'aKn' }],
              ],
            ];
          }),
        ],
      ],
    ],
  ];
}

/* ---- open conversation -------------------------------------------------------------------------------------- */

const AVATAR_COLOURS = ['#1a73e8', '#e8710a', '#188038', '#a142f4', '#d93025', '#007b83', '#c5221f', '#5f6368'];

/** Gmail's round sender picture: here a data-URL image with the initial (no network), black for TikTok's senders. */
export function avatarUrl(who: Person): string {
  const tiktok = /tiktok/i.test(who.name);
  const colour = tiktok
    ? '#000000'
    : AVATAR_COLOURS[[...who.email].reduce((n, c) => n + c.charCodeAt(0), 0) % AVATAR_COLOURS.length]!;
  const letter = escape((who.name.trim()[0] ?? '?').toUpperCase());
  const glyph = tiktok
    ? `<text x='20' y='27' font-family='Arial' font-size='22' font-weight='700' text-anchor='middle' fill='%2325F4EE' dx='-1' dy='-1'>♪</text><text x='20' y='27' font-family='Arial' font-size='22' font-weight='700' text-anchor='middle' fill='%23FE2C55' dx='1' dy='1'>♪</text><text x='20' y='27' font-family='Arial' font-size='22' font-weight='700' text-anchor='middle' fill='white'>♪</text>`
    : `<text x='20' y='26' font-family='Arial' font-size='18' text-anchor='middle' fill='white'>${letter}</text>`;
  return `data:image/svg+xml,${`<svg xmlns='http://www.w3.org/2000/svg' width='40' height='40'><circle cx='20' cy='20' r='20' fill='${colour.replace('#', '%23')}'/>${glyph}</svg>`.replace(/</g, '%3C').replace(/>/g, '%3E').replace(/ /g, '%20')}`;
}

function messageHeader(m: MessageData): GNode {
  const sender: GNode = [
    'span',
    {
      email: m.from.email,
      name: m.from.name,
      'data-hovercard-id': m.from.email,
      class: 'gD',
      role: 'gridcell',
      tabindex: '-1',
    },
    m.from.name,
  ];
  const to = m.to ?? { name: 'me', email: 'alex.rivera.demo@gmail.com' };
  const date = m.date ?? '9:12 AM';
  const address: GNode = [
    'span',
    { class: 'go' },
    ['span', { 'aria-hidden': 'true' }, '<'],
    m.from.email,
    ['span', { 'aria-hidden': 'true' }, '>'],
  ];
  const unsubscribe: GNode[] = /tiktok/i.test(m.from.name)
    ? [' ', ['span', { class: 'Ca', tabindex: '0', role: 'link' }, 'Unsubscribe']]
    : [];
  return [
    'div',
    { class: 'gE iv gt' },
    [
      'table',
      { cellpadding: '0', class: 'cf gJ' },
      [
        'tbody',
        {},
        [
          'tr',
          { class: 'acZ' },
          [
            'td',
            { class: 'gF gK' },
            [
              'table',
              { cellpadding: '0', class: 'cf ix' },
              [
                'tbody',
                {},
                [
                  'tr',
                  {},
                  [
                    'td',
                    {},
                    [
                      'h3',
                      { class: 'iw' },
                      sender,
                      ' ',
                      address,
                      ...(m.gmailWarning === 'via'
                        ? [' via ', ['span', { class: 'afn-via' }, VIA_DOMAIN] as GNode]
                        : []),
                      ...unsubscribe,
                    ],
                  ],
                ],
              ],
            ],
          ],
          [
            'td',
            { class: 'gH bAk' },
            [
              'div',
              { class: 'gK' },
              ['span', {}],
              ['span', { class: 'g3', title: m.dateTitle ?? date, role: 'gridcell', tabindex: '-1' }, date],
              [
                'div',
                {
                  class: 'zd bi4',
                  'aria-label': 'Not starred',
                  title: 'Not starred',
                  tabindex: '0',
                  role: 'checkbox',
                  'aria-checked': 'false',
                },
                icon('star', 'T-KT-JX'),
              ],
            ],
          ],
          ['td', { class: 'gH' }],
          [
            'td',
            { class: 'gH acX bAm', rowspan: '2' },
            button('Reply', 'reply', 'DILLkc'),
            [
              'div',
              {
                class: 'T-I J-J5-Ji Wsq5Cf T-I-ax7 L3',
                role: 'button',
                tabindex: '0',
                'aria-expanded': 'false',
                'aria-haspopup': 'true',
                'data-tooltip': 'More',
                'aria-label': 'More message options',
              },
              icon('more', 'hA T-I-J3'),
            ],
          ],
        ],
        [
          'tr',
          { class: 'acZ xD' },
          [
            'td',
            { colspan: '3' },
            [
              'table',
              { cellpadding: '0', class: 'cf adz' },
              [
                'tbody',
                {},
                [
                  'tr',
                  {},
                  [
                    'td',
                    { class: 'ady' },
                    [
                      'div',
                      { class: 'iw ajw' },
                      [
                        'span',
                        { class: 'hb' },
                        'to ',
                        [
                          'span',
                          { dir: 'ltr', email: to.email, name: to.name, 'data-hovercard-id': to.email, class: 'g2' },
                          to.name,
                        ],
                        ' ',
                      ],
                    ],
                    [
                      'div',
                      {
                        class: 'ajy',
                        role: 'button',
                        tabindex: '0',
                        'data-tooltip': 'Show details',
                        'aria-label': 'Show details',
                      },
                      icon('expand', 'ajz'),
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
        ...(m.gmailWarning === 'banner'
          ? [['tr', {}, ['td', { colspan: '3' }, ['div', { class: 'aiG', role: 'alert' }, GMAIL_BANNER_TEXT]]] as GNode]
          : []),
      ],
    ],
  ];
}

/** A link as Gmail rewrites it: the original `href`, `target=_blank` and Google's redirect in `data-saferedirecturl`. */
function gmailLink(l: { text: string; href: string; saferedirect?: string }, style?: string, content?: GNode): GNode {
  return [
    'a',
    {
      href: l.href,
      target: '_blank',
      ...(style ? { style } : {}),
      'data-saferedirecturl':
        l.saferedirect ??
        `https://www.google.com/url?q=${encodeURIComponent(l.href)}&source=gmail&ust=1790849100000000&usg=AOvVaw0`,
    },
    content ?? l.text,
  ];
}

const TT_TEXT = 'font-family:Arial,Helvetica,sans-serif;color:#161823';
const BUTTON =
  'display:inline-block;padding:12px 32px;border-radius:4px;background:#FE2C55;color:#ffffff;font:600 15px/20px Arial,Helvetica,sans-serif;text-decoration:none';
const TEXT_LINK = 'color:#FE2C55;font:600 15px/22px Arial,Helvetica,sans-serif;text-decoration:none';
const FOOTER_LINK = /unsubscribe|privacy|help|terms|support/i;
const FOOTER_START =
  /^This is an automatically generated email|^This email was generated for|^TikTok, \d|^Unsubscribe \||^Privacy Policy \|/;

/**
 * A TikTok notification body as TikTok sends it (research/tiktok-emails.md): centred 600 px table, logo, heading,
 * paragraphs, the code in a box, the main action as TikTok's red button, a grey footer with its links. Made from
 * the plain text and links the sandbox mails carry; whitespace text between blocks as in real HTML mail, so the
 * body's text keeps its lines apart. Phishing that imitates TikTok copies this template too.
 */
function tiktokBody(m: MessageData): GNode[] {
  const links = [...(m.links ?? [])];
  const take = (text: string) => {
    const i = links.findIndex((l) => l.text === text);
    return i < 0 ? null : links.splice(i, 1)[0]!;
  };
  const row = (style: string, ...content: GNode[]): GNode[] => ['\n', ['tr', {}, ['td', { style }, ...content]]];
  const lines = m.text.split('\n');
  const footerAt = lines.findIndex((l) => FOOTER_START.test(l));
  const main = footerAt < 0 ? lines : lines.slice(0, footerAt);
  const footer = footerAt < 0 ? [] : lines.slice(footerAt);
  const rows: GNode[] = [
    ...row('padding:24px 0 20px', [
      'span',
      { style: 'font:700 24px/28px Arial,Helvetica,sans-serif;color:#000;letter-spacing:-0.5px' },
      ['span', { style: 'text-shadow:-1.5px -1.5px 0 #25F4EE,1.5px 1.5px 0 #FE2C55;margin-right:4px' }, '♪'],
      'TikTok',
    ]),
  ];
  let paragraph: GNode[] = [];
  let buttons = 0;
  const flush = () => {
    if (paragraph.length) rows.push(...row('padding:0 0 16px;font-size:15px;line-height:22px', ...paragraph));
    paragraph = [];
  };
  main.forEach((line, i) => {
    const link = line.trim() && take(line.trim());
    if (link) {
      flush();
      // The first action is TikTok's red button; later ones (a profile, "View video") are red text links.
      rows.push(
        ...row(
          buttons++ ? 'padding:0 0 16px' : 'padding:8px 0 24px',
          gmailLink(link, buttons > 1 ? TEXT_LINK : BUTTON),
        ),
      );
    } else if (/^[A-Z0-9]{6}$/.test(line.trim()) && /\d/.test(line)) {
      flush();
      rows.push(
        ...row('padding:8px 0 24px', [
          'div',
          {
            style:
              'display:inline-block;padding:12px 24px;border-radius:4px;background:#F1F1F2;font:700 32px/40px Arial,Helvetica,sans-serif;letter-spacing:6px;color:#161823',
          },
          line.trim(),
        ]),
      );
    } else if (/^[“"]/.test(line.trim())) {
      flush();
      rows.push(
        ...row('padding:0 0 16px', [
          'div',
          {
            style:
              'padding:12px 16px;border-radius:8px;background:#F8F8F8;font-size:15px;line-height:22px;color:#161823',
          },
          line.trim(),
        ]),
      );
    } else if (i === 0 && line.length < 40 && !/[.,!?:]$/.test(line)) {
      rows.push(...row('padding:0 0 16px;font:700 22px/28px Arial,Helvetica,sans-serif;color:#161823', line));
    } else if (!line.trim()) {
      flush();
    } else {
      paragraph.push(...(paragraph.length ? [['br', {}] as GNode, '\n'] : []), line);
    }
  });
  flush();
  // The main action when no line names it (e.g. "Verify" in a sentence): TikTok's button after the text.
  const action = buttons ? undefined : links.find((l) => !FOOTER_LINK.test(l.text));
  if (action) rows.push(...row('padding:8px 0 24px', gmailLink(links.splice(links.indexOf(action), 1)[0]!, BUTTON)));
  const small = 'color:#8A8B91;text-decoration:underline';
  const footerNodes: GNode[] = footer.flatMap((line, i): GNode[] => {
    const parts = line.split(' | ');
    const linked = parts.map((p) => take(p) ?? p);
    const content = linked.flatMap((p, j): GNode[] => [
      ...(j ? [' | '] : []),
      typeof p === 'string' ? p : gmailLink(p, small),
    ]);
    return [...(i ? [['br', {}] as GNode, '\n'] : []), ...content];
  });
  const rest = links.flatMap((l, i): GNode[] => [...(i ? [' · '] : []), gmailLink(l, small)]);
  if (footerNodes.length || rest.length)
    rows.push(
      ...row(
        'padding:16px 0 24px;border-top:1px solid #E3E3E4;font-size:12px;line-height:18px;color:#8A8B91',
        ...footerNodes,
        ...(rest.length ? [['br', {}] as GNode, '\n', ...rest] : []),
      ),
    );
  return [
    ['u', {}],
    [
      'div',
      { style: 'margin:0;padding:0;background:#ffffff' },
      [
        'table',
        { width: '100%', cellpadding: '0', cellspacing: '0', border: '0', role: 'presentation' },
        [
          'tbody',
          {},
          [
            'tr',
            {},
            [
              'td',
              { align: 'center' },
              [
                'table',
                {
                  width: '600',
                  cellpadding: '0',
                  cellspacing: '0',
                  border: '0',
                  role: 'presentation',
                  style: `max-width:600px;width:100%;text-align:left;${TT_TEXT}`,
                },
                ['tbody', {}, ...rows, '\n'],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
}

/** An ordinary email: Gmail's `div[dir=ltr]` paragraphs, links after their line. */
function plainBody(m: MessageData): GNode[] {
  const lines: GNode[] = m.text.split('\n').flatMap((line): GNode[] => [['div', {}, line || ['br', {}]], '\n']);
  const links: GNode[] = (m.links ?? []).map((l): GNode => ['div', {}, gmailLink(l)]);
  return [['div', { dir: 'ltr' }, ...lines, ...links]];
}

function messageBody(m: MessageData): GNode {
  const body = /tiktok/i.test(m.from.name) ? tiktokBody(m) : plainBody(m);
  return [
    'div',
    { id: nextId(), class: 'ii gt' },
    ['div', { id: nextId(), class: 'a3s aiL' }, ...body, ['div', { class: 'yj6qo' }], ['div', { class: 'adL' }]],
  ];
}

const avatarNode = (from: Person): GNode => [
  'div',
  { class: 'aju' },
  [
    'div',
    { class: 'aCi' },
    [
      'img',
      {
        class: 'ajn',
        src: avatarUrl(from),
        jid: from.email,
        'data-hovercard-id': from.email,
        'data-name': from.name,
        'aria-hidden': 'true',
        alt: '',
      },
    ],
  ],
];

/** One message of a conversation: expanded (`div.h7 > … div.adn`) or collapsed (`div.kv > … div.adf.ads`). */
export function messageNode(m: MessageData, opts: { last?: boolean } = {}): GNode {
  if (!m.expanded) {
    const snippet = m.text.replace(/\s+/g, ' ').slice(0, 120);
    return [
      'div',
      { class: 'kv bg', role: 'listitem', 'aria-expanded': 'false', tabindex: '-1' },
      [
        'div',
        { class: 'Bk' },
        [
          'div',
          { class: 'G3 G2' },
          [
            'div',
            {},
            [
              'div',
              { class: 'adf ads' },
              avatarNode(m.from),
              [
                'div',
                { class: 'gs gt' },
                [
                  'div',
                  { class: 'gE hI' },
                  [
                    'table',
                    { cellpadding: '0', role: 'presentation', class: 'cf gJ' },
                    [
                      'tbody',
                      {},
                      [
                        'tr',
                        {},
                        [
                          'td',
                          { class: 'gF gK' },
                          [
                            'span',
                            {
                              email: m.from.email,
                              'data-hovercard-id': m.from.email,
                              name: m.from.name,
                              class: 'gD',
                              role: 'gridcell',
                              tabindex: '-1',
                            },
                            m.from.name,
                          ],
                        ],
                        ['td', { class: 'gF gK' }, ['div', { class: 'iA g6' }, snippet]],
                        [
                          'td',
                          { class: 'gH bAk' },
                          ['span', { class: 'g3', title: m.dateTitle ?? m.date ?? '' }, m.date ?? ''],
                        ],
                      ],
                    ],
                  ],
                ],
              ],
            ],
          ],
        ],
      ],
    ];
  }
  const footer: GNode[] = opts.last
    ? [
        [
          'div',
          { class: 'gA gt acV' },
          [
            'div',
            { class: 'gB xu' },
            [
              'div',
              { class: 'ip iq' },
              [
                'div',
                { class: 'amn' },
                ['span', { class: 'ams bkH', role: 'link', tabindex: '0' }, icon('reply', 'mL'), 'Reply'],
                ['span', { class: 'ams bkG', role: 'link', tabindex: '0' }, icon('forward', 'mK'), 'Forward'],
              ],
            ],
          ],
        ],
      ]
    : [];
  return [
    'div',
    { class: 'h7 ie nH oy8Mbf', role: 'listitem', 'aria-expanded': 'true', tabindex: '-1' },
    [
      'div',
      { class: 'Bk' },
      [
        'div',
        { class: 'G3 G2' },
        [
          'div',
          {},
          [
            'div',
            { id: nextId() },
            [
              'div',
              {
                class: 'adn ads',
                'data-message-id': `#msg-f:${decimalId(m.messageId)}`,
                'data-legacy-message-id': m.messageId,
              },
              avatarNode(m.from),
              [
                'div',
                { class: 'gs' },
                messageHeader(m),
                ['div', {}, ['div', { class: 'aHl' }], messageBody(m), ['div', { class: 'hi' }]],
              ],
              ['div', { class: 'ajx' }],
            ],
            ...footer,
          ],
        ],
      ],
    ],
  ];
}

/** An open conversation (`.nH.g.id > .a98.iY`: subject bar with labels and actions, then the message list). */
export function threadNode(t: ThreadData): GNode {
  const last = t.messages.length - 1;
  return [
    'div',
    { class: 'nH g id' },
    [
      'div',
      { class: 'nH a98 iY' },
      [
        'div',
        { class: 'nH' },
        [
          'div',
          { class: 'nH V8djrc byY' },
          [
            'div',
            { class: 'nH' },
            [
              'div',
              { class: 'ha' },
              [
                'h2',
                {
                  class: 'hP',
                  'data-thread-perm-id': `thread-f:${decimalId(t.threadId)}`,
                  'data-legacy-thread-id': t.threadId,
                  tabindex: '-1',
                },
                t.subject,
              ],
              [
                'div',
                { class: 'J-J5-Ji' },
                ...(t.spam ? ['Spam', ...(t.labels ?? [])] : (t.labels ?? ['Inbox'])).map(labelChip),
              ],
            ],
          ],
          [
            'div',
            { class: 'bHJ' },
            button('Print all', 'print', 'pYTkkf-JX'),
            button('In new window', 'openNew', 'pYTkkf-JX'),
          ],
        ],
      ],
      [
        'div',
        { class: 'nH aHU' },
        [
          'div',
          { class: 'nH hx' },
          ['div', { class: 'nH', role: 'list' }, ...t.messages.map((m, i) => messageNode(m, { last: i === last }))],
        ],
      ],
    ],
  ];
}

/* ---- views and page ----------------------------------------------------------------------------------------- */

/** The list toolbar (`[gh=tm] > .aqK > [gh=mtb]` with Select, Refresh, More; pager `.Cr.aqJ` with `.Dj`). */
export function listToolbarNode(total = 0): GNode {
  return [
    'div',
    { class: 'D E G-atb', gh: 'tm' },
    [
      'div',
      { class: 'nH aqK' },
      [
        'div',
        { class: 'Cq aqL', gh: 'mtb' },
        [
          'div',
          { class: 'bzn' },
          [
            'div',
            { class: 'G-tF' },
            [
              'div',
              { class: 'G-Ni J-J5-Ji' },
              [
                'div',
                {
                  class: 'T-I J-J5-Ji T-Pm T-I-ax7 L3 J-JN-M-I',
                  role: 'button',
                  tabindex: '0',
                  'aria-haspopup': 'true',
                  'aria-expanded': 'false',
                  'data-tooltip': 'Select',
                  'aria-label': 'Select',
                },
                [
                  'div',
                  { class: 'J-J5-Ji J-JN-M-I-Jm' },
                  [
                    'span',
                    { class: 'T-Jo J-J5-Ji', 'aria-checked': 'false', role: 'checkbox', dir: 'ltr' },
                    ['div', { class: 'T-Jo-auh', role: 'presentation' }],
                  ],
                  icon('expand', 'G-asx T-I-J3 J-J5-Ji'),
                ],
              ],
            ],
            ['div', { class: 'G-Ni J-J5-Ji' }, button('Refresh', 'refresh', 'nu')],
            ['div', { class: 'G-Ni J-J5-Ji' }, button('More email options', 'more', 'nf')],
          ],
        ],
      ],
      [
        'div',
        { class: 'Cr aqJ' },
        [
          'div',
          { class: 'ar5 J-J5-Ji' },
          [
            'span',
            { class: 'Di' },
            [
              'div',
              { class: 'J-J5-Ji amH J-JN-I', role: 'button', tabindex: '0', 'aria-label': 'Show more messages' },
              ['span', { class: 'Dj' }, total ? `1–${total} of ${total}` : ''],
            ],
            button('Newer', 'prev', 'amD T-I-awG'),
            button('Older', 'next', 'amD T-I-awG'),
          ],
        ],
      ],
    ],
  ];
}

/** The thread toolbar (`[gh=mtb] > .iH.bzn > .G-tF`: Back, Archive/Spam/Delete, Unread/Snooze, Move/Labels, More). */
export function threadToolbarNode(): GNode {
  return [
    'div',
    { class: 'D E G-atb', gh: 'tm' },
    [
      'div',
      { class: 'nH aqK' },
      [
        'div',
        { class: 'Cq aqL', gh: 'mtb' },
        [
          'div',
          { class: 'iH bzn' },
          [
            'div',
            { class: 'G-tF' },
            ['div', { class: 'G-Ni G-aE J-J5-Ji' }, button('Back to Inbox', 'back', 'lS')],
            [
              'div',
              { class: 'G-Ni G-aE J-J5-Ji' },
              button('Archive', 'archive', 'lR'),
              button('Report spam', 'spam', 'nN'),
              button('Delete', 'delete', 'nX'),
            ],
            [
              'div',
              { class: 'G-Ni G-aE J-J5-Ji' },
              button('Mark as unread', 'unread', 'bvt'),
              button('Snooze', 'clock', 'uUQygd'),
            ],
            ['div', { class: 'G-Ni G-aE J-J5-Ji' }, button('Move to', 'move', 'ns'), button('Labels', 'label', 'mw')],
            ['div', { class: 'G-Ni J-J5-Ji' }, button('More email options', 'more', 'nf')],
          ],
        ],
      ],
    ],
  ];
}

/** A view root as Gmail keeps them under `div.aeF`: visible with `[role=main]`, or a hidden cached one. */
export function viewNode(content: GNode[], opts: { hidden?: boolean; toolbar?: GNode } = {}): GNode {
  const hasList = JSON.stringify(content).includes('"gh":"tl"');
  const toolbar = opts.toolbar ?? (hasList ? listToolbarNode() : threadToolbarNode());
  const main: GNode = ['div', { class: 'BltHke nH oy8Mbf bGI', role: 'main' }, toolbar, ...content];
  return opts.hidden ? ['div', { class: 'nH', style: 'display: none;' }, main] : ['div', { class: 'nH' }, main];
}

/** The reading pane (split modes): the list in `[gh=tl].aia`… and the preview `.ao9` with the open thread. */
export function readingPaneNodes(rows: RowData[], thread: ThreadData | null, mode: 'vertical' | 'horizontal'): GNode[] {
  const preview: GNode = ['div', { class: 'ao9' }, thread ? threadNode(thread) : ['div', { class: 'apa' }]];
  const list = rowListNode(rows, { vertical: mode === 'vertical', readingPane: true });
  return [['div', { class: `aia ${mode === 'vertical' ? 'aks' : 'akt'}` }, list, preview]];
}

export interface NavCounts {
  inbox?: number;
  drafts?: number;
}

const NAV: [name: string, glyph: keyof typeof ICONS, hash: string][] = [
  ['Inbox', 'inbox', 'inbox'],
  ['Starred', 'star', 'starred'],
  ['Snoozed', 'clock', 'snoozed'],
  ['Important', 'important', 'imp'],
  ['Sent', 'send', 'sent'],
  ['Drafts', 'draft', 'drafts'],
  ['More', 'expand', 'all'],
];
const LABELS = ['Family', 'Receipts', 'Travel', 'Work'];

/** The left navigation (`div.aeN[role=navigation]`): Compose, system labels with unread counts (`.bsU`), labels. */
export function navNode(counts: NavCounts = {}, current = 'Inbox'): GNode {
  const item = (name: string, glyph: keyof typeof ICONS, href: string, count?: number, colour?: string): GNode => {
    const on = name === current;
    return [
      'div',
      { class: `aim${on ? ' ain' : ''}` },
      [
        'div',
        { class: `TO${on ? ' nZ aiq' : ''}`, 'data-tooltip': name, 'data-tooltip-align': 'r' },
        [
          'div',
          { class: 'TN bzz aHS-bnt' },
          [
            'div',
            { class: 'qj' },
            [
              'div',
              { class: `ti ti-${glyph}`, 'aria-hidden': 'true', ...(colour ? { style: `color: ${colour}` } : {}) },
            ],
          ],
          [
            'div',
            { class: 'aio UKr6le' },
            [
              'span',
              { class: 'nU ' },
              [
                'a',
                {
                  href: `https://mail.google.com/mail/u/0/#${href}`,
                  target: '_top',
                  class: `J-Ke n0${on ? ' aBU' : ''}`,
                  title: name,
                  'aria-label': count ? `${name} ${count} unread` : name,
                  tabindex: '-1',
                  draggable: 'false',
                },
                name,
              ],
            ],
          ],
          ['div', { class: 'bsU' }, count ? count.toLocaleString('en-US') : ''],
        ],
      ],
    ];
  };
  return [
    'div',
    { class: 'aeN WR a6o anZ nH oy8Mbf', role: 'navigation' },
    [
      'div',
      { class: 'aic' },
      [
        'div',
        { class: 'z0' },
        [
          'div',
          { class: 'T-I T-I-KE L3', tabindex: '0', role: 'button', gh: 'cm' },
          icon('edit', 'compose-ic'),
          'Compose',
        ],
      ],
    ],
    [
      'div',
      { class: 'Ls77Lb aZ6' },
      [
        'div',
        { class: 'wT' },
        [
          'div',
          { class: 'n3' },
          [
            'div',
            { class: 'byl' },
            [
              'div',
              { class: 'TK' },
              ...NAV.map(([name, glyph, hash]) =>
                item(
                  name,
                  glyph,
                  hash,
                  name === 'Inbox' ? counts.inbox : name === 'Drafts' ? counts.drafts : undefined,
                ),
              ),
            ],
          ],
        ],
      ],
    ],
    ['div', { class: 'aAw' }, ['h2', { class: 'aAv' }, 'Labels'], button('Create new label', 'add', 'aAx')],
    [
      'div',
      { class: 'TK' },
      ...LABELS.map((name) => item(name, 'label', `label/${name}`, undefined, LABEL_COLOURS[name])),
    ],
  ];
}

export interface PageOptions {
  gmail?: string;
  accountName?: string;
  title?: string;
  /** Views under `div.aeF`, in order (see viewNode). */
  views: GNode[];
  /** Unread counts in the navigation. */
  counts?: NavCounts;
  /** Comment placed at the top of the document (fixtures say what is sourced and what is guessed). */
  comment?: string;
  /** Extra page script (plain JS) after the DOM builder. */
  script?: string;
  dark?: boolean;
}

const CSS = [
  `html,body{height:100%}body{margin:0;font:14px/20px Roboto,"Google Sans",Arial,sans-serif;color:#1f1f1f;background:#f6f8fc;overflow:hidden;-webkit-font-smoothing:antialiased}
.afn,.T-ays-a45,.h5,.aFg{display:none}
.ti{display:inline-block;width:20px;height:20px;flex:none;color:#444746}
header[role=banner]{height:64px;box-sizing:border-box;display:flex;align-items:center;padding:8px 8px 8px 8px}
.gb_Hc{display:flex;align-items:center;width:232px;flex:none}
.gb_Ec,.gb_hc{width:48px;height:48px;border-radius:50%;display:grid;place-items:center;cursor:pointer;color:#444746;margin:0 4px}
.gb_Ec:hover,.gb_hc:hover{background:rgba(68,71,70,.08)}.gb_Ec .ti,.gb_hc .ti{width:24px;height:24px}
.gb_9d{display:flex;align-items:center;gap:6px;text-decoration:none;color:#5f6368;font:400 22px/24px "Google Sans","Product Sans",Arial,sans-serif;padding-left:4px}
.gb_9d svg{width:32px;height:24px}
.gb_Qd{flex:1;max-width:720px}
form[role=search]{display:flex;align-items:center;height:48px;border-radius:24px;background:#e9eef6;padding:0 4px}
form[role=search] button{width:40px;height:40px;border:0;border-radius:50%;background:none;display:grid;place-items:center;color:#444746;cursor:pointer;padding:0}
form[role=search] button .ti{width:24px;height:24px}
form[role=search] input{flex:1;border:0;background:none;font:16px Roboto,Arial,sans-serif;color:#1f1f1f;outline:none;padding:0 8px}
form[role=search] input::placeholder{color:#444746}
.gb_Zd{margin-left:auto;display:flex;align-items:center;gap:4px;padding-right:8px}
.gb_B{display:grid;place-items:center;width:32px;height:32px;margin:0 6px 0 10px;border-radius:50%;background:#0b57d0;color:#fff;font:500 15px/32px "Google Sans",Roboto,Arial,sans-serif;text-decoration:none;box-shadow:0 0 0 4px #f6f8fc,0 0 0 5px #c4c7c5}
.gb_wrap{display:flex;height:calc(100% - 64px)}
.aeN{width:256px;flex:none;overflow-y:auto;padding-right:0}
.aic{padding:8px 0 16px 8px}
.T-I-KE{display:inline-flex;align-items:center;gap:12px;height:56px;padding:0 24px 0 16px;border-radius:16px;background:#c2e7ff;color:#001d35;font:500 14px/20px "Google Sans",Roboto,Arial,sans-serif;cursor:pointer;box-sizing:border-box;min-width:96px}
.T-I-KE:hover{box-shadow:0 1px 2px rgba(60,64,67,.3),0 1px 3px 1px rgba(60,64,67,.15)}.T-I-KE .ti{width:24px;height:24px;color:#001d35}
.TO{height:32px;margin-right:16px;border-radius:0 16px 16px 0;cursor:pointer}.TO:hover{background:rgba(31,31,31,.06)}
.TO.nZ{background:#d3e3fd}.TO.nZ .J-Ke,.TO.nZ .bsU{font-weight:700;color:#001d35}.TO.nZ .ti{color:#001d35}
.TN{display:flex;align-items:center;height:32px;padding:0 12px 0 26px}
.qj{width:20px;height:20px;margin-right:18px;display:flex}
.aio{flex:1;min-width:0}.nU a{color:#202124;text-decoration:none;font-size:14px;white-space:nowrap}
.bsU{font-size:12px;font-weight:700;color:#202124;letter-spacing:.2px}
.aAw{display:flex;align-items:center;justify-content:space-between;padding:16px 16px 4px 26px}
.aAv{margin:0;font:500 16px/24px "Google Sans",Roboto,Arial,sans-serif;color:#1f1f1f}
.bkL{display:flex;flex:1;min-width:0}
.bkK{flex:1;min-width:0;background:#fff;border-radius:16px;margin:0 16px 16px 0;display:flex;flex-direction:column;overflow:hidden}
.bkK>.nH,.bkK .no,.bkK .nn,.bkK .Tm{display:flex;flex-direction:column;flex:1;min-height:0}
.Tm{overflow-y:auto}.aeF{flex:1}
.T-I{cursor:pointer;user-select:none}
.G-atb{display:flex;align-items:center;height:48px;padding:0 16px 0 8px;background:#fff;position:sticky;top:0;z-index:3}
.aqK{display:flex;align-items:center;justify-content:space-between;flex:1}
.G-tF,.bzn,.Cq{display:flex;align-items:center}.G-Ni{display:flex;align-items:center;margin-right:8px}
.G-atb .T-I,.bHJ .T-I,.acX .T-I,.aAx{width:40px;height:40px;border-radius:50%;display:grid;place-items:center}
.G-atb .T-I:hover,.bHJ .T-I:hover,.acX .T-I:hover{background:rgba(68,71,70,.08)}
.T-Pm{width:auto!important;border-radius:4px!important;padding:0 4px}.J-JN-M-I-Jm{display:flex;align-items:center;gap:2px}
.T-Jo{display:inline-block;width:14px;height:14px;border:2px solid #444746;border-radius:2px;box-sizing:content-box}
.G-asx{width:14px!important;height:14px!important}
.Cr{display:flex;align-items:center}.Di{display:flex;align-items:center;gap:4px}.Dj{font-size:12px;color:#5e5e5e;padding:0 8px;white-space:nowrap}
.amD .ti{color:#444746}`,
  `.aKh{border-bottom:1px solid #f1f3f4}table.aKk{border-collapse:collapse;width:100%;table-layout:fixed}td.aRz{padding:0;max-width:256px;width:25%}
.aAy{position:relative;display:flex;align-items:center;height:56px;padding:0 16px;cursor:pointer;color:#444746}
.aAy:hover{background:rgba(68,71,70,.06)}
.aKo{display:flex;align-items:center;gap:16px;min-width:0}.aKp{width:20px;height:20px}
.aKw{min-width:0}.aKz{font:500 14px/20px "Google Sans",Roboto,Arial,sans-serif;display:flex;align-items:center;gap:8px;white-space:nowrap}
.aKx{font-size:12px;line-height:16px;color:#5e5e5e;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.aAy.J-KU-KO{color:#0b57d0}.aAy.J-KU-KO .ti{color:#0b57d0}
.aAy.J-KU-KO .aKn{position:absolute;left:8px;right:8px;bottom:0;height:3px;border-radius:3px 3px 0 0;background:#0b57d0}
.aDG{display:inline-block;padding:0 6px;border-radius:8px;font:500 11px/16px Roboto,Arial,sans-serif;color:#fff;background:#0b57d0}
.aDG-social{background:#0b57d0}.aDG-promotions{background:#146c2e}.aDG-updates{background:#a8460c}`,
  `table.F{width:100%;border-collapse:collapse;table-layout:fixed}
tr.zA{height:40px;cursor:pointer;box-shadow:inset 0 -1px 0 0 rgba(100,121,143,.12);position:relative}
tr.zA.yO{background:rgba(242,246,252,.8)}tr.zA.zE{background:#fff}
tr.zA:hover{box-shadow:inset 1px 0 0 #dadce0,inset -1px 0 0 #dadce0,0 1px 2px 0 rgba(60,64,67,.3),0 1px 3px 1px rgba(60,64,67,.15);z-index:2}
td.xY{padding:0;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;vertical-align:middle;font-size:14px;color:#1f1f1f}
td.PF{width:12px}td.oZ-x3{width:32px}td.apU{width:28px}td.WA{width:28px}td.yX{width:168px;padding-right:32px}td.byZ{width:0}td.yf{width:12px}td.xW{width:84px;padding-right:16px;text-align:right}td.bq4{width:0}
.oZ-jc{width:14px;height:14px;border:2px solid #747775;border-radius:2px;display:block;margin:auto}
.aXw{display:block;width:20px;height:20px;margin:auto}.aXw .ti{color:#747775}.T-KT-Jp .ti{color:#f4b400}
.pG{width:20px;height:20px;margin:auto}.pG .ti{color:#c4c7c5}
tr.zE .zF,tr.zE .bqe,tr.zE .bq3{font-weight:700;color:#1f1f1f}.yP{color:#1f1f1f}
.xS,.xT{display:flex;align-items:center;min-width:0;overflow:hidden}.y6{flex:0 1 auto;min-width:0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.y2{color:#5f6368;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;flex:1 1 0;min-width:0}
td.xW span{font-size:12px;color:#5e5e5e}tr.zE td.xW .bq3{color:#1f1f1f}
.ar.as{display:inline-flex;margin-right:6px;flex:none}.at{border-radius:4px;padding:0 4px;font-size:12px;line-height:18px;color:#1f1f1f}
tr.apv.apv{height:auto;box-shadow:none}tr.apv>td{padding:2px 8px 0 0}tr.apw{box-shadow:inset 0 -1px 0 0 rgba(100,121,143,.12)!important}tr.apw>td{padding-bottom:8px}
td.apy{padding-top:8px!important}td.apt{width:70px;text-align:right;font-size:12px}td.apo-x3{width:36px}td.apC{width:28px}.apn{display:none}.apz{font-size:13px}
.aia.aks,.aia.akt{display:flex;flex-direction:column;height:calc(100vh - 64px - 16px - 48px)}.aia.aks{flex-direction:row}.aia.aks>*,.aia.akt>*{flex:1;min-width:0;min-height:0;overflow:auto}.aia.aks>[gh=tl]{flex:0 0 42%;border-right:1px solid #e0e3e7}.aia.akt>[gh=tl]{border-bottom:1px solid #e0e3e7}
.ao9{padding:0 8px}.apa{height:100%}
.aKy{padding:12px 16px 4px}.aKy .aKz{margin:0;font:500 16px/24px "Google Sans",Roboto,Arial,sans-serif}`,
  `.a98{padding-bottom:24px}.V8djrc{display:flex;align-items:flex-start;padding:20px 16px 8px 72px}.V8djrc>.nH{flex:1}
.ha{display:flex;align-items:center;flex-wrap:wrap;gap:8px}
h2.hP{margin:0;font:400 22px/28px "Google Sans",Roboto,Arial,sans-serif;color:#1f1f1f}
.ha .at{background:#dddddd;color:#444746;font-size:12px}
.bHJ{display:flex;gap:4px}
.h7,.kv{outline:none}.adn,.adf{display:flex;padding:8px 16px 0 16px}
.aju{flex:none;width:40px;margin:0 16px 0 0}.ajn{width:40px;height:40px;border-radius:50%;display:block}
.gs{flex:1;min-width:0}table.cf{border-collapse:collapse;width:100%}table.gJ td{vertical-align:top;padding:0}
h3.iw{margin:0;font:400 14px/20px Roboto,Arial,sans-serif;display:flex;align-items:baseline;flex-wrap:wrap;gap:0 4px}
.gD{font-weight:700;color:#1f1f1f;font-size:14px}.go{font-size:12px;color:#5e5e5e}.Ca{font-size:12px;color:#5e5e5e;text-decoration:underline;cursor:pointer;margin-left:4px}
td.gH{white-space:nowrap;text-align:right;width:1%}div.gK{display:flex;align-items:center;gap:4px;justify-content:flex-end}.adf td.gF:first-child{width:1%;white-space:nowrap;font-weight:700}.adf td.gF{padding-top:10px!important}.adf td.gH{padding-top:10px!important}
.g3{font-size:12px;color:#5e5e5e}.zd{width:40px;height:40px;display:grid;place-items:center;cursor:pointer}.zd .ti{color:#444746}
td.acX{padding-left:4px!important}td.acX .T-I{display:inline-grid}
.ajw{font-size:12px;color:#5e5e5e;display:inline}.ady{display:flex;align-items:center}.ajy{width:20px;height:20px;display:inline-grid;place-items:center;cursor:pointer}.ajz{width:20px;height:20px}
.ii.gt{padding:12px 0 8px;font-size:14px}.a3s{overflow-x:auto;overflow-wrap:anywhere}.a3s div[dir=ltr]{font:small Arial,Helvetica,sans-serif;font-size:14px;line-height:20px;color:#222}
.iA.g6{color:#5e5e5e;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}.adf td.gF{padding-right:8px}.kv{box-shadow:inset 0 -1px 0 #e0e3e7;padding-bottom:8px}
.gA{padding:16px 16px 8px 72px}.amn{display:flex;gap:12px}
.ams{display:inline-flex;align-items:center;gap:8px;height:36px;box-sizing:border-box;padding:0 24px 0 16px;border:1px solid #747775;border-radius:18px;font:500 14px/20px "Google Sans",Roboto,Arial,sans-serif;color:#444746;cursor:pointer}
.ams:hover{background:rgba(68,71,70,.06)}
.aiG{margin:8px 0;padding:12px 16px;border-radius:8px;background:#fce8e6;color:#8c1d18;font-size:14px}`,
  `body.dark{color:#e3e3e3;background:#1b1b1b}.dark .bkK,.dark tr.zA.zE,.dark .G-atb{background:#262626}.dark tr.zA.yO{background:#1f1f1f}
.dark td.xY,.dark .yP,.dark .nU a,.dark .bsU,.dark h2.hP,.dark .gD,.dark tr.zE .zF,.dark tr.zE .bqe{color:#e3e3e3}.dark .ti{color:#c4c7c5}
.dark .aAv,.dark .gb_9d,.dark form[role=search] input,.dark form[role=search] input::placeholder{color:#e3e3e3}.dark .go,.dark .g3,.dark .ajw,.dark .Dj,.dark .y2{color:#c4c7c5}
.dark form[role=search]{background:#3c3c3c}.dark .TO.nZ{background:#004a77}.dark .T-I-KE{background:#004a77;color:#c2e7ff}`,
  iconCss('.ti-menu', 'menu'),
  iconCss('.ti-search', 'search'),
  iconCss('.ti-tune', 'tune'),
  iconCss('.ti-help', 'help'),
  iconCss('.ti-settings', 'settings'),
  iconCss('.ti-apps', 'apps'),
  iconCss('.ti-edit', 'edit'),
  iconCss('.ti-inbox', 'inbox'),
  iconCss('.ti-star', 'star'),
  iconCss('.ti-starFilled', 'starFilled'),
  iconCss('.ti-clock', 'clock'),
  iconCss('.ti-important', 'important'),
  iconCss('.ti-send', 'send'),
  iconCss('.ti-draft', 'draft'),
  iconCss('.ti-expand', 'expand'),
  iconCss('.ti-label', 'label'),
  iconCss('.ti-add', 'add'),
  iconCss('.ti-refresh', 'refresh'),
  iconCss('.ti-more', 'more'),
  iconCss('.ti-prev', 'prev'),
  iconCss('.ti-next', 'next'),
  iconCss('.ti-back', 'back'),
  iconCss('.ti-archive', 'archive'),
  iconCss('.ti-spam', 'spam'),
  iconCss('.ti-delete', 'delete'),
  iconCss('.ti-unread', 'unread'),
  iconCss('.ti-move', 'move'),
  iconCss('.ti-reply', 'reply'),
  iconCss('.ti-forward', 'forward'),
  iconCss('.ti-print', 'print'),
  iconCss('.ti-openNew', 'openNew'),
  iconCss('.ti-promotions', 'promotions'),
  iconCss('.ti-social', 'social'),
  iconCss('.ti-updates', 'updates'),
].join('\n');

/** Gmail's "M" mark (four coloured strokes), inline SVG as in Gmail's header. */
const GMAIL_LOGO: GNode = [
  'svg',
  { viewBox: '52 42 88 66', 'aria-hidden': 'true', focusable: 'false' },
  ['path', { fill: '#4285f4', d: 'M58 108h14V74L52 59v43c0 3.32 2.69 6 6 6' }],
  ['path', { fill: '#34a853', d: 'M120 108h14c3.32 0 6-2.69 6-6V59l-20 15' }],
  ['path', { fill: '#fbbc04', d: 'M120 48v26l20-15v-8c0-7.42-8.47-11.65-14.4-7.2' }],
  ['path', { fill: '#ea4335', d: 'M72 74V48l24 18 24-18v26L96 92' }],
  ['path', { fill: '#c5221f', d: 'M52 51v8l20 15V48l-5.6-4.2c-5.94-4.45-14.4-.22-14.4 7.2' }],
];

/** A whole Gmail page: header (menu, logo, search, account), navigation, views container. */
export function pageHtml(opts: PageOptions): string {
  const gmail = opts.gmail ?? 'alex.rivera.demo@gmail.com';
  const name = opts.accountName ?? 'Alex Rivera';
  const title = opts.title ?? `Inbox (4) - ${gmail} - Gmail`;
  const headerButton = (label: string, glyph: keyof typeof ICONS): GNode => [
    'div',
    { class: 'gb_hc', role: 'button', tabindex: '0', 'aria-label': label, title: label },
    ['div', { class: `ti ti-${glyph}`, 'aria-hidden': 'true' }],
  ];
  const header: GNode = [
    'header',
    { class: 'gb_Ia gb_fd gb_Ld', id: 'gb', role: 'banner' },
    [
      'div',
      { class: 'gb_Hc gb_Fd gb_Pc' },
      [
        'div',
        { class: 'gb_Ec', 'aria-expanded': 'true', 'aria-label': 'Main menu', role: 'button', tabindex: '0' },
        ['div', { class: 'ti ti-menu', 'aria-hidden': 'true' }],
      ],
      [
        'a',
        { class: 'gb_9d gb_Ac', 'aria-label': 'Gmail', href: '#inbox', title: 'Gmail' },
        GMAIL_LOGO,
        ['span', { 'aria-hidden': 'true' }, 'Gmail'],
      ],
    ],
    [
      'div',
      { class: 'gb_Qd gb_xd' },
      [
        'form',
        { class: 'gb_ze gb_Kf', method: 'get', role: 'search', action: '#' },
        [
          'button',
          { class: 'gb_Re', 'aria-label': 'Search mail', type: 'button' },
          ['div', { class: 'ti ti-search', 'aria-hidden': 'true' }],
        ],
        [
          'input',
          {
            class: 'gb_ue',
            'aria-label': 'Search mail',
            autocomplete: 'off',
            placeholder: 'Search mail',
            value: '',
            name: 'q',
            type: 'text',
            dir: 'ltr',
            spellcheck: 'false',
          },
        ],
        [
          'button',
          {
            class: 'gb_Ge',
            'aria-label': 'Show search options',
            'data-tooltip': 'Show search options',
            type: 'button',
          },
          ['div', { class: 'ti ti-tune', 'aria-hidden': 'true' }],
        ],
      ],
    ],
    [
      'div',
      { class: 'gb_Zd gb_cd gb_G' },
      headerButton('Support', 'help'),
      headerButton('Settings', 'settings'),
      headerButton('Google apps', 'apps'),
      [
        'a',
        {
          class: 'gb_B gb_Za',
          'aria-label': `Google Account: ${name} (${gmail})`,
          href: 'https://accounts.google.com/SignOutOptions?hl=en&continue=https://mail.google.com/mail&service=mail',
          role: 'button',
          tabindex: '0',
        },
        (name[0] ?? 'A').toUpperCase(),
      ],
    ],
  ];
  const body: GNode = [
    'div',
    { class: 'nH', style: 'width: 100%; height: 100%;' },
    header,
    [
      'div',
      { class: 'nH gb_wrap' },
      [
        'div',
        { class: 'nH aqk aql bkL' },
        navNode(opts.counts),
        [
          'div',
          { class: 'nH bkK' },
          [
            'div',
            { class: 'nH' },
            [
              'div',
              { class: 'no' },
              [
                'div',
                { class: 'nH nn', style: 'width: 100%;' },
                [
                  'div',
                  { class: 'Tm aeJ' },
                  ['div', { id: ':ae', class: 'aeF' }, ['div', { class: 'nH' }, ...opts.views]],
                ],
              ],
            ],
          ],
        ],
      ],
    ],
  ];
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
  const tiktokSubjects = [
    '123456 is your verification code',
    'some_user sent you a message',
    'maya.k commented on your video',
    'leo_dance started following you',
  ];
  return Array.from({ length: n }, (_, i) => {
    const tiktok = i % 4 === 3;
    return {
      from: tiktok
        ? (i >> 2) % tiktokSubjects.length
          ? TIKTOK.notification
          : TIKTOK.code
        : OTHERS[i % OTHERS.length]!,
      subject: tiktok ? tiktokSubjects[(i >> 2) % tiktokSubjects.length]! : `Weekly digest #${i}: what you missed`,
      snippet: tiktok ? 'Open TikTok to see more.' : 'Here is what happened while you were away.',
      threadId: hexId(`${seed}:${i}`),
      unread: i % 3 === 0,
    };
  });
}
