/**
 * Issue 11's classes end to end: every case of tests/fixtures/hostile/classes.ts rendered as Gmail list rows and as open
 * messages (text escaped as Gmail's server does, Gmail's own spam/banner/"via" markers where the case has them),
 * served at https://mail.google.com with Gmail's Trusted Types CSP, with the built extension loaded. Judged from what
 * the page shows: the contract attributes (`data-ttg-kind`, `data-ttg-warning`) and the actions in our inline UI
 * (Copy code, Reply / Follow back or their "Link TikTok to …" prompts, and the disabled action naming why a handle
 * is refused).
 */
import type { Page } from '@playwright/test';
import { CLASS_CORPUS, type ClassCase } from '../fixtures/hostile/classes';
import { inboxPage, messageId, rowId, threadsPage } from '../fixtures/hostile/gmail-page';
import { TIKTOK, hexId, pageHtml, rowListNode, threadNode, viewNode } from '../support/gmail-markup';
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 150_000 });

const INBOX_URL = 'https://mail.google.com/mail/u/0/#inbox';
const THREAD_URL = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQcqbVclasses';

interface Seen {
  kind: string | null;
  warning: string | null;
  /** Texts of the enabled buttons and links in our UI for this row or message. */
  actions: string[];
  /** `data-ttg-handle-problem` of the disabled action, if shown. */
  handleProblem: string | null;
}

async function observe(page: Page, ids: string[]): Promise<Record<string, Seen>> {
  return page.evaluate((ids) => {
    const out: Record<string, Seen> = {};
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el) continue;
      const scope = el.matches('tr') ? el : (el.closest('[role="main"]') ?? el);
      const roots = [...scope.querySelectorAll('ttg-inline, ttg-chip')]
        .map((h) => h.shadowRoot)
        .filter((r): r is ShadowRoot => !!r);
      const controls = roots.flatMap((r) => [...r.querySelectorAll('button:not([disabled]), a[href]')]);
      const note = roots.map((r) => r.querySelector('[data-ttg-handle-problem]')).find(Boolean);
      out[id] = {
        kind: el.getAttribute('data-ttg-kind'),
        warning: el.getAttribute('data-ttg-warning'),
        actions: controls.map((c) => (c.textContent ?? '').trim()),
        handleProblem: note?.getAttribute('data-ttg-handle-problem') ?? null,
      };
    }
    return out;
  }, ids);
}

/**
 * Waits (bounded) until the detector has marked what it should mark (kinds and warnings) and the inline UI has
 * settled; a shortfall is not thrown here but shows up case by case in the judgement.
 */
async function settle(page: Page, marked: number): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.querySelectorAll('[data-ttg-kind],[data-ttg-warning]').length), {
      timeout: 20_000,
    })
    .toBeGreaterThanOrEqual(marked)
    .catch(() => undefined);
  await page.waitForTimeout(1500);
}

const USER_ACTION = /^(Reply|Reply on TikTok|Follow back|Link TikTok to reply|Link TikTok to follow back)$/;

/** What is wrong with one rendering (empty: as expected). */
function judge(c: ClassCase, seen: Seen, where: 'row' | 'message'): string[] {
  const e = c.expect;
  const out: string[] = [];
  const warned = !!c.gmail_warning && (where === 'message' || c.gmail_warning === 'spam');
  const wantWarning = e.impostor ? 'impersonation' : warned && e.genuine ? 'gmail' : null;
  if (seen.warning !== wantWarning) out.push(`warning=${seen.warning} (want ${wantWarning})`);
  const wantKind = e.genuine && !warned ? (e.kind ?? 'any') : null;
  if (wantKind === 'any' ? !seen.kind : seen.kind !== wantKind) out.push(`kind=${seen.kind} (want ${wantKind})`);
  const copy = seen.actions.some((a) => /^Copy code$/.test(a));
  const user = seen.actions.some((a) => USER_ACTION.test(a));
  // Gmail draws its banner and "via" only inside the open message: a list row of such mail looks like any other row
  // (docs/security.md, residual risk), so there the row is judged as the genuine email it claims to be.
  const rowBlind = where === 'row' && c.category === 'gmail-warning' && !warned;
  if (!e.genuine || warned || (e.no_action && !rowBlind)) {
    // The row's "Review request" opens our own Ads page (the user's authorizations), whichever Ads email it is on.
    const offered = seen.actions.filter((a) => !(a === 'Review request' && !warned && seen.kind === 'ads'));
    if (offered.length) out.push(`actions offered: ${offered.join(' | ')}`);
    return out;
  }
  if (e.code !== undefined && copy !== (e.code !== null)) out.push(`copy code=${copy} (want ${e.code})`);
  const username = where === 'message' ? e.username : e.row_username;
  if (username === null && user) out.push(`user action offered: ${seen.actions.join(' | ')}`);
  if (username && ['message', 'comment', 'mention', 'follower'].includes(e.kind ?? '') && !user)
    out.push(`no user action for @${username}: ${seen.actions.join(' | ')}`);
  if (where === 'message' && e.handle_problem && seen.handleProblem !== e.handle_problem)
    out.push(`handle problem note=${seen.handleProblem} (want ${e.handle_problem})`);
  return out;
}

test('issue 11 classes in Gmail rows and open messages, under Trusted Types: right kind, warning and actions for every case', async ({
  openGmail,
}) => {
  const started = Date.now();
  const wrong: string[] = [];
  const tally = new Map<string, { ok: number; all: number }>();
  const count = (c: ClassCase, problems: string[], where: string) => {
    const t = tally.get(c.category) ?? { ok: 0, all: 0 };
    t.all++;
    if (!problems.length) t.ok++;
    tally.set(c.category, t);
    for (const p of problems) wrong.push(`${where} ${c.id} ${c.category} "${c.attack}": ${p}`);
  };
  const marked = (list: readonly ClassCase[], where: 'row' | 'message') =>
    list.filter(
      (c) =>
        c.expect.impostor ||
        (c.expect.genuine && (where === 'message' ? true : !c.gmail_warning || c.gmail_warning === 'spam')),
    ).length;

  const inbox = await openGmail({ url: INBOX_URL, html: inboxPage(CLASS_CORPUS) });
  await settle(inbox, marked(CLASS_CORPUS, 'row'));
  const rows = await observe(inbox, CLASS_CORPUS.map(rowId));
  for (const c of CLASS_CORPUS) count(c, rows[rowId(c)] ? judge(c, rows[rowId(c)]!, 'row') : ['not rendered'], 'row');
  await inbox.close();

  for (let i = 0; i < CLASS_CORPUS.length; i += 60) {
    const batch = CLASS_CORPUS.slice(i, i + 60);
    const page = await openGmail({ url: THREAD_URL, html: threadsPage(batch) });
    await settle(page, marked(batch, 'message'));
    const seen = await observe(page, batch.map(messageId));
    for (const c of batch)
      count(c, seen[messageId(c)] ? judge(c, seen[messageId(c)]!, 'message') : ['not rendered'], 'message');
    await page.close();
  }

  console.log(
    `issue 11 classes e2e (rows + open messages): ${[...tally].map(([name, t]) => `${name} ${t.ok}/${t.all}`).join(', ')}; ` +
      `${CLASS_CORPUS.length} cases, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(wrong).toEqual([]);
});

test("Gmail's warnings on the generated fixtures: our warning beside Gmail's, no kind and no action", async ({
  openGmail,
}) => {
  const search = await openGmail({
    url: 'https://mail.google.com/mail/u/0/#search/tiktok',
    fixture: 'search-spam.html',
  });
  await expect(search.locator('[data-ttg-kind], [data-ttg-warning]')).toHaveCount(2);
  const rows = search.locator('tr.zA');
  await expect(rows.nth(0)).toHaveAttribute('data-ttg-warning', 'gmail');
  await expect(rows.nth(0)).not.toHaveAttribute('data-ttg-kind', /.+/);
  await expect(rows.nth(0).locator('.ttg-chip')).toHaveText('Gmail warns about this message — no TikTok actions');
  await expect(rows.nth(0).locator('ttg-chip')).toHaveCount(0);
  await expect(rows.nth(1)).toHaveAttribute('data-ttg-kind', 'message');

  const thread = await openGmail({
    url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQcqbVwarnings',
    fixture: 'thread-gmail-warnings.html',
  });
  const messages = thread.locator('div.adn');
  await expect(messages.nth(2)).toHaveAttribute('data-ttg-kind', 'code');
  for (const i of [0, 1]) {
    await expect(messages.nth(i)).toHaveAttribute('data-ttg-warning', 'gmail');
    await expect(messages.nth(i).locator('.ttg-banner')).toContainText('Gmail warns about this message');
    await expect(messages.nth(i).locator('ttg-inline')).toHaveCount(0);
  }
  await expect(messages.nth(0).locator('.ttg-banner')).toContainText('Gmail shows a warning on it');
  await expect(messages.nth(1).locator('.ttg-banner')).toContainText('sent via another domain');
  await expect(thread.locator('ttg-inline').getByRole('button', { name: 'Copy code' })).toHaveCount(1);
});

test("a message seen open under Gmail's banner keeps the warning on its list row afterwards (no row action)", async ({
  openGmail,
}) => {
  const subject = '160899 is your verification code';
  const id = hexId('seen-warned');
  const html = pageHtml({
    views: [
      viewNode([rowListNode([{ from: TIKTOK.code, subject, threadId: id }])], { hidden: true }),
      viewNode([
        threadNode({
          threadId: id,
          subject,
          messages: [{ from: TIKTOK.code, messageId: id, expanded: true, gmailWarning: 'banner', text: '160899' }],
        }),
      ]),
    ],
  });
  const page = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQcqbVseen', html });
  await expect(page.locator('div.adn')).toHaveAttribute('data-ttg-warning', 'gmail');
  // Back to the list, as Gmail does it: the thread view hides, the cached list view shows, the hash changes.
  await page.evaluate(() => {
    const [list, thread] = [...document.querySelectorAll<HTMLElement>('[role="main"]')].map((m) => m.parentElement!);
    list!.style.display = '';
    thread!.style.display = 'none';
    location.hash = '#inbox';
  });
  const row = page.locator('tr.zA');
  await expect(row).toHaveAttribute('data-ttg-warning', 'gmail');
  await expect(row).not.toHaveAttribute('data-ttg-kind', /.+/);
  await page.waitForTimeout(1000);
  await expect(row.locator('ttg-chip')).toHaveCount(0);
});
