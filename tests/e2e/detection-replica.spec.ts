/**
 * Detection on the live Gmail replica fed by the loopback sandbox: every email the sandbox sends gets the kind the
 * sandbox meant, rows arriving while the page is open are marked, and opening a row (hash navigation) marks the
 * message; the tab reports its Gmail account and a healthy selector self-check.
 */
import { expect, test } from './fixtures';
import { openReplica, threadIdOf } from '../support/gmail-replica';
import { control, mailbox } from '../support/sandbox';

const GMAIL = 'replica.detect@gmail.com';

test('marks sandbox emails as they arrive, with the kind the sandbox meant, and the opened message', async ({ context, worker, sandbox }) => {
  for (const type of ['message', 'comment', 'follower'] as const) await control(sandbox.url, 'simulate', { type, to_gmail: GMAIL });
  const page = await openReplica(context, { sandboxUrl: sandbox.url, gmail: GMAIL, accountIndex: 1 });
  await expect(page).toHaveTitle(`Inbox (3) - ${GMAIL} - Gmail`);
  await expect(page.locator('tr.zA[data-ttg-kind]')).toHaveCount(3);

  // new mail while the page is open: the replica inserts rows on top, as Gmail does
  for (const type of ['like', 'ads_request'] as const) await control(sandbox.url, 'simulate', { type, to_gmail: GMAIL });
  await expect(page.locator('tr.zA[data-ttg-kind]')).toHaveCount(5);

  const items = await mailbox(sandbox.url, GMAIL);
  const kinds = await page.locator('tr.zA').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-ttg-kind')));
  const expected = items.map((m) => (m.kind === 'ads_request' ? 'ads' : m.kind));
  expect(kinds).toEqual(expected);

  // open the follower email: the list hides, the message shows and is marked
  const follower = items.find((m) => m.kind === 'follower')!;
  await page.locator(`tr.zA:has([data-legacy-thread-id="${threadIdOf(follower)}"]) .bA4`).click(); // the sender: the row's middle may hold our chip
  await expect(page).toHaveURL(new RegExp(`#category/social/${threadIdOf(follower)}$`));
  await expect(page.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'follower');
  await expect(page.locator('tr.zA[data-ttg-kind]')).toHaveCount(0); // the cached list is hidden
  await page.goBack();
  await expect(page.locator('tr.zA[data-ttg-kind]')).toHaveCount(5);

  // the background knows which account this tab shows (title + account link, /mail/u/1/) and the selectors' health
  const session = (key: string) =>
    worker().then((w) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      w.evaluate(async (k) => (await (globalThis as any).chrome.storage.session.get(k))[k] ?? null, key),
    );
  await expect.poll(async () => Object.values((await session('gmailTabs')) ?? {})).toContainEqual(expect.objectContaining({ gmail: GMAIL, account_index: 1 }));
  await expect.poll(async () => (await session('diagnostics'))?.ok, { timeout: 10_000 }).toBe(true);
});
