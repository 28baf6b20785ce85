/**
 * Detection scenarios, run in Chromium (tests/e2e/detection*.spec.ts) and Firefox (tests/firefox/firefox.spec.ts):
 * chips, the contract attributes and the impostor warning on the Gmail fixtures (every list layout, open
 * conversations) and on the live replica fed by the loopback sandbox (rows arriving, an opened message).
 */
import { expect } from '@playwright/test';
import { hexId } from '../support/gmail-markup';
import { threadIdOf } from '../support/gmail-replica';
import { control, mailbox } from '../support/sandbox';
import type { Driver, Evaluator } from './driver';
import { count, eventually, openFixture, openReplica } from './support';

export const INBOX_URL = 'https://mail.google.com/mail/u/0/#inbox';

export interface RowState {
  email: string;
  kind: string | null;
  warning: string | null;
  chip: string | null;
}

/** Every conversation row of the page (all views; a vertical-pane row is its id-bearing `tr` and the lines after it). */
export const rowStates = (page: Evaluator) =>
  page.evaluate(() =>
    [...document.querySelectorAll('tr.zA[id]')].map((tr) => {
      const lines = [tr];
      for (
        let next = tr.nextElementSibling;
        next && !next.id && tr.classList.contains('apv');
        next = next.nextElementSibling
      )
        lines.push(next);
      const chip = lines.map((line) => line.querySelector('.ttg-chip')).find(Boolean);
      return {
        email: tr.querySelector('[email]')?.getAttribute('email') ?? '',
        kind: tr.getAttribute('data-ttg-kind'),
        warning: tr.getAttribute('data-ttg-warning'),
        chip: chip?.textContent ?? null,
      };
    }),
  ) as Promise<RowState[]>;

const isTikTok = (email: string) => /@([\w-]+\.)*tiktok\.com$/.test(email);
const isImpostor = (email: string) => email.endsWith('@tiktok-security-help.com');

/** Genuine rows have a kind and a chip, the impostor a warning and no kind, everything else neither. */
export function expectContract(rows: RowState[]): void {
  expect(rows.length).toBeGreaterThan(0);
  for (const r of rows) {
    if (isTikTok(r.email))
      expect(r, r.email).toMatchObject({ kind: expect.any(String), warning: null, chip: expect.any(String) });
    else if (isImpostor(r.email))
      expect(r, r.email).toMatchObject({
        kind: null,
        warning: 'impersonation',
        chip: expect.stringContaining('Not from TikTok'),
      });
    else expect(r, r.email).toEqual({ email: r.email, kind: null, warning: null, chip: null });
  }
}

/** Waits until exactly `marked` elements carry a kind or a warning. */
export const settled = (page: Evaluator, marked: number) =>
  eventually(() => count(page, '[data-ttg-kind], [data-ttg-warning]'), marked, 'marked elements');

const attr = (page: Evaluator, css: string, name: string) =>
  page.evaluate(([c, n]) => document.querySelector(c!)?.getAttribute(n!) ?? null, [css, name]);

export async function detectionInListLayouts(d: Driver): Promise<void> {
  const layouts: [fixture: string, marked: number, kinds?: string[]][] = [
    ['inbox.html', 7], // Social tab, research fixture: 6 genuine + 1 lookalike
    ['primary-inbox.html', 5, ['code', 'message', 'security', 'shop']],
    ['search-results.html', 4],
    ['multiple-inboxes.html', 6, ['code', 'message', 'security', 'shop', 'code']],
    [
      'languages.html',
      10,
      ['code', 'code', 'like', 'ads', 'shop', 'code', 'message', 'comment', 'follower', 'comment'],
    ],
  ];
  for (const [fixture, marked, kinds] of layouts) {
    const page = await openFixture(d, INBOX_URL, { fixture });
    await settled(page, marked);
    const rows = await rowStates(page);
    expectContract(rows);
    if (kinds) expect(rows.map((r) => r.kind).filter(Boolean), fixture).toEqual(kinds);
    await page.close();
  }
}

export async function detectionInConversations(d: Driver): Promise<void> {
  const genuine = await openFixture(d, `${INBOX_URL}/FMfcgzQcqlBLwLspwKpJHSKfdDPZsRhN`, { fixture: 'thread.html' });
  await eventually(() => attr(genuine, 'div.adn', 'data-ttg-kind'), 'message');
  await genuine.text(['div.adn', '.ttg-chip']);
  await genuine.text(['div.adf', '.ttg-chip']); // collapsed message: chip only
  expect(await attr(genuine, 'div.adf', 'data-ttg-kind')).toBeNull();
  await settled(genuine, 1); // the cached, hidden inbox list gets nothing
  await genuine.close();

  const phish = await openFixture(d, `${INBOX_URL}/${hexId('impostor')}`, { fixture: 'thread-impostor.html' });
  const messages = () =>
    phish.evaluate(() =>
      [...document.querySelectorAll('div.adn')].map((m) => [
        m.getAttribute('data-ttg-warning'),
        m.getAttribute('data-ttg-kind'),
      ]),
    );
  await eventually(messages, [
    ['impersonation', null], // the impostor
    [null, null], // the user's own reply in the same conversation
  ]);
  await phish.text({ css: '[role="alert"]', text: 'Not from TikTok — this sender is imitating TikTok' });
  await phish.text(['div.adf', '.ttg-warn']);
  await settled(phish, 1);
  await phish.close();
}

export async function detectionOnReplica(d: Driver, sandboxUrl: string): Promise<void> {
  const GMAIL = 'replica.detect@gmail.com';
  for (const type of ['message', 'comment', 'follower'] as const)
    await control(sandboxUrl, 'simulate', { type, to_gmail: GMAIL });
  const page = await openReplica(d, { sandboxUrl, gmail: GMAIL, accountIndex: 1 });
  await eventually(() => page.evaluate(() => document.title), `Inbox (3) - ${GMAIL} - Gmail`);
  const marked = () => count(page, 'tr.zA[data-ttg-kind]');
  await eventually(marked, 3);

  // new mail while the page is open: the replica inserts rows on top, as Gmail does
  for (const type of ['like', 'ads_request'] as const) await control(sandboxUrl, 'simulate', { type, to_gmail: GMAIL });
  await eventually(marked, 5);

  const items = await mailbox(sandboxUrl, GMAIL);
  const kinds = await page.evaluate(() =>
    [...document.querySelectorAll('tr.zA')].map((r) => r.getAttribute('data-ttg-kind')),
  );
  expect(kinds).toEqual(items.map((m) => (m.kind === 'ads_request' ? 'ads' : m.kind)));

  // open the follower email: the list hides, the message shows and is marked
  const follower = threadIdOf(items.find((m) => m.kind === 'follower')!);
  await page.click(`tr.zA:has([data-legacy-thread-id="${follower}"]) .bA4`);
  await eventually(() => page.evaluate(() => location.hash), `#category/social/${follower}`);
  await eventually(() => attr(page, 'div.adn', 'data-ttg-kind'), 'follower');
  await eventually(marked, 0); // the cached list is hidden
  await page.evaluate(() => history.back());
  await eventually(marked, 5);

  // the background knows which account this tab shows (title + account link, /mail/u/1/) and the selectors' health
  const session = (key: string) =>
    d.extension(async (k: string) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ext = (globalThis as any).browser ?? (globalThis as any).chrome;
      return (await ext.storage.session.get(k))[k] ?? null;
    }, key);
  await expect
    .poll(async () => Object.values((await session('gmailTabs')) ?? {}))
    .toContainEqual(expect.objectContaining({ gmail: GMAIL, account_index: 1 }));
  await expect.poll(async () => (await session('diagnostics'))?.ok, { timeout: 10_000 }).toBe(true);
}
