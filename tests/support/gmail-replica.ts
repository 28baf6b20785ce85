/**
 * A live Gmail replica fed by the HTTP sandbox's mailbox, for e2e tests and the demo.
 *
 *   const page = await openReplica(context, { sandboxUrl, gmail: 'alex@gmail.com', accountIndex: 0 });
 *
 * - Serves https://mail.google.com/mail/u/<accountIndex>/ (Trusted Types enforced, like Gmail) with the page title
 *   "Inbox (N) - <gmail> - Gmail" and the account link's aria-label carrying the address.
 * - Shows the mailbox of `gmail` (`GET <sandboxUrl>/sandbox/mailbox?to=`) as Gmail rows (Social tab by default, or
 *   the plain inbox with `layout: 'inbox'`), built with tests/support/gmail-markup.ts.
 * - A page script re-fetches the mailbox every `pollMs` (500) through the routed
 *   https://mail.google.com/mail/u/<N>/replica-mailbox.json and inserts new rows at the top, as Gmail does.
 * - Clicking a row opens its conversation by hash (`#category/social/<thread hex id>`): the list view is hidden
 *   (display:none, kept cached like Gmail) and the thread view shows the email expanded; going back to the list
 *   hash shows the list again. `threadIdOf(email)` gives the hex id of a sandbox email, for `page.goto`/hash.
 * The replica is a page of the given context; close it with `page.close()`.
 */
import type { BrowserContext, Page, Route } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import type { MailResponder } from '../scenarios/driver';
import { gmailDocument } from './gmail-route';
import { categoryTabsNode, hexId, pageHtml, rowListNode, rowNodes, threadNode, viewNode, type GNode } from './gmail-markup';
import { mailbox } from './sandbox';

export interface ReplicaOptions {
  sandboxUrl: string;
  gmail: string;
  accountIndex?: number;
  layout?: 'social' | 'inbox';
  pollMs?: number;
}

/** Gmail's hex thread id the replica gives a sandbox email. */
export const threadIdOf = (email: Pick<MailboxEmail, 'id'>) => hexId(`replica:${email.id}`);

interface ReplicaMailbox {
  rows: { id: string; tree: GNode }[];
  threads: Record<string, GNode>;
  unread: number;
}

function toReplica(items: MailboxEmail[], gmail: string): ReplicaMailbox {
  const rows: ReplicaMailbox['rows'] = [];
  const threads: ReplicaMailbox['threads'] = {};
  for (const m of items) {
    const id = threadIdOf(m);
    const snippet = m.text.replace(/\s+/g, ' ').slice(0, 140);
    rows.push({ id, tree: rowNodes({ from: m.from, subject: m.subject, snippet, threadId: id, date: m.sent_at.slice(11, 16) })[0]! });
    threads[id] = threadNode({
      threadId: id,
      subject: m.subject,
      messages: [{ from: m.from, to: { name: 'me', email: gmail }, messageId: hexId(`replica-msg:${m.id}`), text: m.text, links: m.links, expanded: true, date: m.sent_at.slice(11, 16) }],
    });
  }
  return { rows, threads, unread: items.length };
}

/** The page script: poll, insert new rows on top, open threads by hash. Plain JS; DOM built with window.ttgBuild. */
const pageScript = (gmail: string, pollMs: number, listHash: string) => `(function () {
  var views = document.querySelectorAll('.aeF > .nH > .nH');
  var listView = views[0], threadView = views[1];
  var tbody = listView.querySelector('table.F > tbody');
  var seen = {}, threads = {};
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
    if (row) { row.classList.remove('zE'); row.classList.add('yO'); }
  }
  function poll() {
    fetch('replica-mailbox.json', { cache: 'no-store' }).then(function (r) { return r.ok ? r.json() : null; }).then(function (box) {
      if (!box) return;
      for (var id in box.threads) threads[id] = box.threads[id];
      for (var i = box.rows.length - 1; i >= 0; i--) {
        var row = box.rows[i];
        if (seen[row.id]) continue;
        seen[row.id] = true;
        tbody.insertBefore(window.ttgBuild(row.tree), tbody.firstChild);
      }
      document.title = 'Inbox (' + box.unread + ') - ${gmail} - Gmail';
      if (threadView.style.display === 'none' && location.hash !== ${JSON.stringify(listHash)}) route();
    }).catch(function () {}).then(function () { setTimeout(poll, ${pollMs}); });
  }
  tbody.addEventListener('click', function (e) {
    var row = e.target.closest && e.target.closest('tr.zA');
    var idEl = row && row.querySelector('[data-legacy-thread-id]');
    if (idEl) location.hash = ${JSON.stringify(listHash)} + '/' + idEl.getAttribute('data-legacy-thread-id');
  });
  window.addEventListener('hashchange', route);
  poll();
})();`;

/**
 * The replica as a driver-agnostic responder for https://mail.google.com requests: its URL (list view) and
 * `firstFetch`, which resolves after the page's first mailbox fetch was answered.
 */
export function replicaResponder(opts: ReplicaOptions): { url: string; respond: MailResponder; firstFetch: Promise<void> } {
  const index = opts.accountIndex ?? 0;
  const base = `https://mail.google.com/mail/u/${index}/`;
  const listHash = opts.layout === 'inbox' ? '#inbox' : '#category/social';
  const gmail = opts.gmail.replace(/[^\w.+@-]/g, '');
  const html = pageHtml({
    gmail,
    title: `Inbox - ${gmail} - Gmail`,
    views: [
      viewNode(opts.layout === 'inbox' ? [rowListNode([])] : [categoryTabsNode('Social'), rowListNode([], { tabLabel: 'Social' })]),
      viewNode([], { hidden: true }),
    ],
    script: pageScript(gmail, opts.pollMs ?? 500, listHash),
  });
  let fetched!: () => void;
  const firstFetch = new Promise<void>((resolve) => (fetched = resolve));
  const document = gmailDocument(html);
  const respond: MailResponder = async (request) => {
    if (new URL(request.url).pathname !== `/mail/u/${index}/replica-mailbox.json`) return document(request);
    try {
      const box = toReplica(await mailbox(opts.sandboxUrl, opts.gmail), opts.gmail);
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
    route.fulfill(await respond({ url: route.request().url(), navigation: route.request().resourceType() === 'document' })),
  );
  return url;
}

/** Opens the replica in a new page of `context` and waits for its first mailbox fetch. */
export async function openReplica(context: BrowserContext, opts: ReplicaOptions): Promise<Page> {
  const page = await context.newPage();
  const url = await routeReplica(page, opts);
  const firstFetch = page.waitForResponse((r) => r.url().endsWith('/replica-mailbox.json'), { timeout: 15_000 }).catch(() => null);
  await page.goto(url);
  await firstFetch;
  return page;
}
