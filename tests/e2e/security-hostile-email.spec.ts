/**
 * Hostile email content in Gmail (issue 8 item 1, end to end): the whole corpus rendered as Gmail list rows and as
 * open messages (text escaped as Gmail's server does), served with Gmail's Trusted Types CSP, with the built extension
 * loaded. Nothing executes (the trap in the page's main world stays untouched), no impostor or other sender is marked
 * as TikTok, every impostor claiming TikTok carries the warning, every genuine email is recognised, and the extension's
 * inline UI offers no link to a non-TikTok destination.
 */
import type { Page } from '@playwright/test';
import { HOSTILE_CORPUS, TRAP_TITLE, isTikTokActionUrl, type HostileEmail } from '../fixtures/hostile/corpus';
import { inboxPage, messageId, rowId, threadsPage } from '../fixtures/hostile/gmail-page';
import { expect, test } from './fixtures';

test.describe.configure({ timeout: 120_000 });

const INBOX_URL = 'https://mail.google.com/mail/u/0/#inbox';
const THREAD_URL = 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQcqbVhostile';

/** What the page's main world shows after all: trap state, our marks per email, links in our UI. */
interface Observed {
  pwned: number;
  title: string;
  marks: Record<string, { kind: string | null; warning: string | null; ui: number }>;
  uiLinks: string[];
  uiHosts: number;
}

async function observe(page: Page, ids: string[]): Promise<Observed> {
  return page.evaluate((ids) => {
    const marks: Observed['marks'] = {};
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el) continue;
      const view = el.closest('[role="main"]') ?? el;
      marks[id] = {
        kind: el.getAttribute('data-ttg-kind'),
        warning: el.getAttribute('data-ttg-warning'),
        ui: el.matches('tr')
          ? el.querySelectorAll('ttg-chip, ttg-inline').length
          : view.querySelectorAll('ttg-inline').length,
      };
    }
    const hosts = [...document.querySelectorAll('ttg-inline, ttg-chip')];
    const uiLinks = hosts.flatMap((h) =>
      [...(h.shadowRoot?.querySelectorAll('a[href]') ?? [])].map((a) => (a as HTMLAnchorElement).href),
    );
    return {
      pwned: Number((window as { __ttgPwned?: number }).__ttgPwned ?? 0),
      title: document.title,
      marks,
      uiLinks,
      uiHosts: hosts.length,
    };
  }, ids);
}

/** Waits until the detector has marked every genuine email of the page (or times out), then settles. */
async function settle(page: Page, genuine: number): Promise<void> {
  await expect
    .poll(() => page.evaluate(() => document.querySelectorAll('[data-ttg-kind]').length), { timeout: 45_000 })
    .toBeGreaterThanOrEqual(genuine);
  await page.waitForTimeout(750);
}

interface Tally {
  rendered: number;
  executed: number;
  accepted: string[];
  missed: string[];
  unwarned: string[];
  falseWarnings: string[];
  uiOnUntrusted: string[];
  badLinks: string[];
  goodLinks: number;
}

function judge(
  t: Tally,
  emails: readonly HostileEmail[],
  seen: Observed,
  idOf: (e: HostileEmail) => string,
  where: string,
): void {
  t.executed += seen.pwned + (seen.title === TRAP_TITLE ? 1 : 0);
  for (const e of emails) {
    const m = seen.marks[idOf(e)];
    if (!m) throw new Error(`${where}: ${e.id} was not rendered`);
    t.rendered++;
    const label = `${where} ${e.id} ${e.category} <${e.from.email}>`;
    if (e.expect.genuine && !m.kind) t.missed.push(label);
    if (!e.expect.genuine && m.kind) t.accepted.push(`${label} as ${m.kind}`);
    if (e.expect.impostor && m.warning !== 'impersonation') t.unwarned.push(label);
    if (!e.expect.impostor && m.warning) t.falseWarnings.push(label);
    if (!e.expect.genuine && m.ui > 0) t.uiOnUntrusted.push(label);
  }
  for (const href of seen.uiLinks) {
    if (isTikTokActionUrl(href)) t.goodLinks++;
    else t.badLinks.push(`${where}: ${href}`);
  }
}

const BIG = 100_000;
/** Threads in pages of ~60 emails; the enormous bodies together in pages of their own. */
function threadBatches(): HostileEmail[][] {
  const small = HOSTILE_CORPUS.filter((e) => e.text.length < BIG);
  const big = HOSTILE_CORPUS.filter((e) => e.text.length >= BIG);
  const out: HostileEmail[][] = [];
  for (let i = 0; i < small.length; i += 70) out.push(small.slice(i, i + 70));
  for (let i = 0; i < big.length; i += 8) out.push(big.slice(i, i + 8));
  return out;
}

test('the trap fires when a payload is rendered unescaped (control)', async ({ openGmail }) => {
  const page = await openGmail({ url: INBOX_URL, html: inboxPage(HOSTILE_CORPUS.slice(0, 3), { trapControl: true }) });
  await expect.poll(() => page.evaluate(() => (window as { __ttgPwned?: number }).__ttgPwned ?? 0)).toBeGreaterThan(0);
  await expect(page).toHaveTitle(TRAP_TITLE);
});

test('hostile corpus in Gmail rows and open messages: nothing runs, no impostor accepted, only TikTok links offered', async ({
  openGmail,
}) => {
  const started = Date.now();
  const t: Tally = {
    rendered: 0,
    executed: 0,
    accepted: [],
    missed: [],
    unwarned: [],
    falseWarnings: [],
    uiOnUntrusted: [],
    badLinks: [],
    goodLinks: 0,
  };

  const inbox = await openGmail({ url: INBOX_URL, html: inboxPage(HOSTILE_CORPUS) });
  await settle(inbox, HOSTILE_CORPUS.filter((e) => e.expect.genuine).length);
  judge(t, HOSTILE_CORPUS, await observe(inbox, HOSTILE_CORPUS.map(rowId)), rowId, 'row');
  await inbox.close();

  const batches = threadBatches();
  for (const batch of batches) {
    const page = await openGmail({ url: THREAD_URL, html: threadsPage(batch) });
    await settle(page, batch.filter((e) => e.expect.genuine).length);
    judge(t, batch, await observe(page, batch.map(messageId)), messageId, 'thread');
    await page.close();
  }

  const genuine = HOSTILE_CORPUS.filter((e) => e.expect.genuine).length;
  const impostors = HOSTILE_CORPUS.filter((e) => e.expect.impostor).length;
  console.log(
    `hostile email e2e: ${HOSTILE_CORPUS.length} emails rendered ${t.rendered} times (rows + ${batches.length} thread pages), ` +
      `${t.executed} executed, ${t.accepted.length} impostors/others accepted as TikTok, ` +
      `${t.unwarned.length}/${impostors * 2} impostor renderings without the warning, ${t.falseWarnings.length} false warnings, ` +
      `${t.uiOnUntrusted.length} inline actions on untrusted mail, ${t.badLinks.length} non-TikTok links offered (${t.goodLinks} TikTok links), ` +
      `${genuine * 2 - t.missed.length}/${genuine * 2} genuine renderings recognised, ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  expect(t.executed).toBe(0);
  expect(t.accepted).toEqual([]);
  expect(t.missed).toEqual([]);
  expect(t.unwarned).toEqual([]);
  expect(t.falseWarnings).toEqual([]);
  expect(t.uiOnUntrusted).toEqual([]);
  expect(t.badLinks).toEqual([]);
});
