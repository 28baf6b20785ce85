/**
 * A live Gmail replica fed by the HTTP sandbox's mailbox, for e2e tests and the demo.
 *
 *   const page = await openReplica(context, { sandboxUrl, gmail: 'alex@gmail.com', accountIndex: 0 });
 *
 * - Serves https://mail.google.com/mail/u/<accountIndex>/ (Trusted Types enforced, like Gmail) as a whole Gmail page
 *   (tests/support/gmail-markup.ts): header with search and the account (its aria-label carries the address), the
 *   navigation with the Inbox's unread count, the list toolbar and pager, and the page title
 *   "Inbox (N) - <gmail> - Gmail".
 * - Shows the mailbox of `gmail` (`GET <sandboxUrl>/sandbox/mailbox?to=`), merged with `extra` mail (ordinary mail,
 *   an impostor: what the sandbox does not send) by date, as Gmail rows: the Social tab by default, the Primary tab
 *   with `layout: 'primary'`, or the plain inbox (no tabs) with `layout: 'inbox'`.
 * - A page script re-fetches the mailbox every `pollMs` (500) through the routed
 *   https://mail.google.com/mail/u/<N>/replica-mailbox.json and inserts new rows at the top, as Gmail does.
 * - Clicking a row opens its conversation by hash (`#category/social/<thread hex id>`): the list view is hidden
 *   (display:none, kept cached like Gmail) and the thread view shows the email expanded, with Gmail's header and the
 *   HTML body; Back or the list hash shows the list again. `threadIdOf(email)` gives the hex id of a sandbox email.
 * The replica is a page of the given context; close it with `page.close()`.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import type { MailResponder } from '../scenarios/driver';
import { gmailDocument } from './gmail-route';
import {
  categoryTabsNode,
  hexId,
  listToolbarNode,
  pageHtml,
  rowListNode,
  rowNodes,
  threadNode,
  viewNode,
  type GNode,
} from './gmail-markup';
import { mailbox } from './sandbox';

/** Mail the sandbox does not send (ordinary mail, an impostor), shown among its emails. */
export interface ExtraMail extends Pick<MailboxEmail, 'id' | 'from' | 'subject' | 'text' | 'links' | 'sent_at'> {
  unread?: boolean;
  starred?: boolean;
  labels?: string[];
}

export interface ReplicaOptions {
  sandboxUrl: string;
  gmail: string;
  accountName?: string;
  accountIndex?: number;
  layout?: 'social' | 'primary' | 'inbox';
  pollMs?: number;
  extra?: ExtraMail[];
}

/** Gmail's hex thread id the replica gives a sandbox email. */
export const threadIdOf = (email: Pick<MailboxEmail, 'id'>) => hexId(`replica:${email.id}`);

interface ReplicaMailbox {
  rows: { id: string; tree: GNode }[];
  threads: Record<string, GNode>;
  unread: number;
}

const TIME = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' });
const DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const FULL = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
});

/** Gmail's dates: the time for today's mail, "Nov 30" before; in the thread "9:41 AM (2 hours ago)". */
function dates(sentAt: string, now: number) {
  const at = Date.parse(sentAt);
  const today = new Date(at).toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10);
  const hours = Math.floor((now - at) / 3_600_000);
  const minutes = Math.floor((now - at) / 60_000);
  const ago =
    hours >= 1
      ? `${hours} hour${hours === 1 ? '' : 's'} ago`
      : minutes >= 1
        ? `${minutes} minute${minutes === 1 ? '' : 's'} ago`
        : 'now';
  const short = today ? TIME.format(at) : DAY.format(at);
  return { row: short, thread: `${short} (${ago})`, title: FULL.format(at) };
}

function toReplica(items: ExtraMail[], gmail: string): ReplicaMailbox {
  const rows: ReplicaMailbox['rows'] = [];
  const threads: ReplicaMailbox['threads'] = {};
  const sorted = [...items].sort((a, b) => b.sent_at.localeCompare(a.sent_at));
  const now = Date.parse(sorted[0]?.sent_at ?? new Date().toISOString());
  let unread = 0;
  for (const m of sorted) {
    const id = threadIdOf(m);
    const when = dates(m.sent_at, now);
    const snippet = m.text.replace(/\s+/g, ' ').slice(0, 140);
    const isUnread = m.unread ?? true;
    if (isUnread) unread++;
    rows.push({
      id,
      tree: rowNodes({
        from: m.from,
        subject: m.subject,
        snippet,
        threadId: id,
        date: when.row,
        dateTitle: when.title,
        unread: isUnread,
        starred: m.starred,
        labels: m.labels,
      })[0]!,
    });
    threads[id] = threadNode({
      threadId: id,
      subject: m.subject,
      labels: ['Inbox', ...(m.labels ?? [])],
      messages: [
        {
          from: m.from,
          to: { name: 'me', email: gmail },
          messageId: hexId(`replica-msg:${m.id}`),
          text: m.text,
          links: m.links,
          expanded: true,
          date: when.thread,
          dateTitle: when.title,
        },
      ],
    });
  }
  return { rows, threads, unread };
}

/** The page script: poll, insert new rows on top, open threads by hash, keep title, count and pager current. */
const pageScript = (gmail: string, pollMs: number, listHash: string) => `(function () {
  var views = document.querySelectorAll('.aeF > .nH > .nH');
  var listView = views[0], threadView = views[1];
  var tbody = listView.querySelector('table.F > tbody');
  var seen = {}, threads = {}, total = 0;
  function show(view, on) { view.style.display = on ? '' : 'none'; }
  function route() {
    var id = location.hash.slice(${JSON.stringify(listHash)}.length + 1);
    var tree = /^[0-9a-f]{16}$/.test(id) && threads[id];
    if (!tree) { show(threadView, false); show(listView, true); return; }
    var main = threadView.querySelector('[role="main"]');
    var old = main.querySelector('.nH.g.id');
    var thread = window.ttgBuild(tree);
    if (old) old.replaceWith(thread); else main.appendChild(thread);
    show(listView, false); show(threadView, true);
    var row = tbody.querySelector('[data-legacy-thread-id="' + id + '"]');
    row = row && row.closest('tr');
    if (row && row.classList.contains('zE')) {
      row.classList.remove('zE'); row.classList.add('yO');
      var unread = Math.max(0, (Number(document.body.getAttribute('data-unread')) || 0) - 1);
      counts(unread);
    }
  }
  function counts(unread) {
    document.body.setAttribute('data-unread', String(unread));
    document.title = (unread ? 'Inbox (' + unread + ')' : 'Inbox') + ' - ${gmail} - Gmail';
    var count = document.querySelector('.aim.ain .bsU');
    if (count) count.textContent = unread ? String(unread) : '';
    var pager = listView.querySelector('.Dj');
    if (pager) pager.textContent = total ? '1–' + total + ' of ' + total : '';
  }
  function poll() {
    fetch('replica-mailbox.json', { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (box) {
      if (!box) return;
      for (var id in box.threads) threads[id] = box.threads[id];
      var fresh = 0;
      for (var i = box.rows.length - 1; i >= 0; i--) {
        var row = box.rows[i];
        if (seen[row.id]) continue;
        seen[row.id] = true;
        fresh++;
        tbody.insertBefore(window.ttgBuild(row.tree), tbody.firstChild);
      }
      if (fresh || !document.body.hasAttribute('data-unread')) {
        total = box.rows.length;
        var read = tbody.querySelectorAll('tr.zA.yO[id]').length;
        counts(Math.min(box.unread, total - read));
      }
      if (threadView.style.display === 'none' && location.hash !== ${JSON.stringify(listHash)}) route();
    }).catch(function () {}).then(function () { setTimeout(poll, ${pollMs}); });
  }
  tbody.addEventListener('click', function (e) {
    var row = e.target.closest && e.target.closest('tr.zA');
    var idEl = row && row.querySelector('[data-legacy-thread-id]');
    if (idEl) location.hash = ${JSON.stringify(listHash)} + '/' + idEl.getAttribute('data-legacy-thread-id');
  });
  threadView.addEventListener('click', function (e) {
    if (e.target.closest && e.target.closest('.lS')) location.hash = ${JSON.stringify(listHash)};
  });
  window.addEventListener('hashchange', route);
  poll();
})();`;

const LIST_HASH = { social: '#category/social', primary: '#inbox', inbox: '#inbox' } as const;

/** The list view's content for a layout: tab bar and tab panel, or the plain list. */
function listContent(layout: NonNullable<ReplicaOptions['layout']>): GNode[] {
  if (layout === 'inbox') return [rowListNode([])];
  const tab = layout === 'social' ? 'Social' : 'Primary';
  const news: Record<string, { count: number; senders: string }> =
    layout === 'primary'
      ? {
          Promotions: { count: 2, senders: 'Spotify, Uniqlo' },
          Social: { count: 3, senders: 'Instagram, LinkedIn, Pinterest' },
        }
      : {};
  return [categoryTabsNode(tab, news), rowListNode([], { tabLabel: tab })];
}

/**
 * The replica as a driver-agnostic responder for https://mail.google.com requests: its URL (list view) and
 * `firstFetch`, which resolves after the page's first mailbox fetch was answered.
 */
export function replicaResponder(opts: ReplicaOptions): {
  url: string;
  respond: MailResponder;
  firstFetch: Promise<void>;
} {
  const index = opts.accountIndex ?? 0;
  const base = `https://mail.google.com/mail/u/${index}/`;
  const layout = opts.layout ?? 'social';
  const listHash = LIST_HASH[layout];
  const gmail = opts.gmail.replace(/[^\w.+@-]/g, '');
  const accountName = opts.accountName ?? 'Alex Rivera';
  const html = pageHtml({
    gmail,
    accountName,
    title: `Inbox - ${gmail} - Gmail`,
    views: [viewNode(listContent(layout), { toolbar: listToolbarNode() }), viewNode([], { hidden: true })],
    script: pageScript(gmail, opts.pollMs ?? 500, listHash),
  });
  let fetched!: () => void;
  const firstFetch = new Promise<void>((resolve) => (fetched = resolve));
  const document = gmailDocument(html);
  const respond: MailResponder = async (request) => {
    if (new URL(request.url).pathname !== `/mail/u/${index}/replica-mailbox.json`) return document(request);
    try {
      const box = toReplica([...(await mailbox(opts.sandboxUrl, opts.gmail)), ...(opts.extra ?? [])], opts.gmail);
      return { status: 200, contentType: 'application/json', body: JSON.stringify(box) };
    } catch (e) {
      return { status: 502, contentType: 'text/plain', body: String(e) };
    } finally {
      fetched();
    }
  };
  return { url: `${base}${listHash}`, respond, firstFetch };
}

/** Serves the replica to a Playwright page or context; returns its URL. */
export async function routeReplica(target: Page | BrowserContext, opts: ReplicaOptions): Promise<string> {
  const { url, respond } = replicaResponder(opts);
  await target.route(`${new URL(url).origin}/mail/u/${opts.accountIndex ?? 0}/**`, async (route: Route) =>
    route.fulfill(
      await respond({ url: route.request().url(), navigation: route.request().resourceType() === 'document' }),
    ),
  );
  return url;
}

/** Opens the replica in a new page of `context` and waits for its first mailbox fetch. */
export async function openReplica(context: BrowserContext, opts: ReplicaOptions): Promise<Page> {
  const page = await context.newPage();
  const url = await routeReplica(page, opts);
  const firstFetch = page
    .waitForResponse((r) => r.url().endsWith('/replica-mailbox.json'), { timeout: 15_000 })
    .catch(() => null);
  await page.goto(url);
  await firstFetch;
  return page;
}
