/**
 * Detection in real Chromium with the built extension, on Gmail fixture pages served at mail.google.com with
 * Trusted Types enforced: chips, the contract attributes and the impostor warning in every layout; re-rendered,
 * reused and replaced rows; hash navigation between list and thread; settings applied without reload. The list
 * layouts and open conversations are shared scenarios (tests/scenarios/detection.ts), also run in Firefox.
 */
import { expect, test } from './fixtures';
import { TIKTOK, generatedRows, hexId, tbodyNode, type GNode } from '../support/gmail-markup';
import {
  INBOX_URL,
  detectionInConversations,
  detectionInListLayouts,
  expectContract,
  rowStates,
  settled,
} from '../scenarios/detection';

const URL = INBOX_URL;

test('marks genuine rows, warns on impostors and leaves others alone in every list layout', ({ driver }) =>
  detectionInListLayouts(driver));

test('reading panes: rows in both splits and the open message in the preview', async ({ openGmail }) => {
  for (const fixture of ['reading-pane-vertical.html', 'reading-pane-horizontal.html']) {
    const page = await openGmail({ url: `${URL}/${hexId('message')}`, fixture });
    await settled(page, 5);
    expectContract(await rowStates(page));
    await expect(page.locator('.ao9 div.adn')).toHaveAttribute('data-ttg-kind', 'message');
    await expect(page.locator('.ao9 div.adn .ttg-chip')).toHaveText('Message');
    if (fixture.includes('vertical')) {
      // Vertical split (bug 19): the sender cell of the first line is td.yX too, yet the chip and the row's quick
      // action sit before the subject, on the conversation's second line.
      await expect(page.locator('tr.zA.apv[id] + tr .xT > .ttg-chip ~ .y6')).toHaveCount(4);
      await expect(page.locator('tr.zA.apv[id] + tr .xT > ttg-chip[data-ttg-quick-action="code"] ~ .y6')).toHaveCount(
        1,
      );
      await expect(page.locator('td.yX .ttg-chip, td.yX ttg-chip')).toHaveCount(0);
    }
    await page.close();
  }
});

test('impostor chip (bug 15): a short label that fits a narrow row, the full warning on hover and for screen readers', async ({
  openGmail,
}) => {
  const page = await openGmail({ url: URL, fixture: 'primary-inbox.html' });
  await page.setViewportSize({ width: 900, height: 700 });
  const full = 'Not from TikTok — this sender is imitating TikTok';
  const chip = page.locator('tr.zA[data-ttg-warning] .ttg-warn');
  await expect(chip.locator('[aria-hidden="true"]')).toHaveText('Not TikTok');
  await expect(chip).toHaveAttribute('title', full);
  expect(await chip.ariaSnapshot()).toContain(full);
  expect(await chip.ariaSnapshot()).not.toContain('Not TikTok');
  // the whole chip shows inside the subject cell, nothing cut off
  const [chipBox, cellBox] = [
    await chip.boundingBox(),
    await page.locator('tr.zA[data-ttg-warning] td.a4W').boundingBox(),
  ];
  expect(chipBox!.x + chipBox!.width).toBeLessThanOrEqual(cellBox!.x + cellBox!.width);
  expect(await chip.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
});

test('open conversations: expanded and collapsed messages, impostor banner, hidden list ignored', ({ driver }) =>
  detectionInConversations(driver));

test('survives Gmail re-rendering rows, reusing a row, replacing the tbody and hash navigation', async ({
  openGmail,
}) => {
  const page = await openGmail({ url: URL, fixture: 'primary-inbox.html' });
  await settled(page, 5);

  // Gmail rebuilds a row's cells (our chip goes with them): the chip comes back.
  await page.evaluate(() => {
    const tr = document.querySelector('tr.zA[data-ttg-kind="code"]')!;
    const cells = [...tr.children].map((td) => td.cloneNode(true) as Element);
    for (const td of cells) td.querySelector('.ttg-chip')?.remove();
    tr.replaceChildren(...cells);
  });
  await expect(page.locator('tr.zA[data-ttg-kind="code"] .ttg-chip')).toHaveCount(1);

  // Gmail reuses the code row for an ordinary email, and an ordinary row for a TikTok one.
  await page.evaluate(
    ({ tiktok }) => {
      const set = (tr: Element, email: string, name: string, subject: string) => {
        const sender = tr.querySelector('[email]')!;
        sender.setAttribute('email', email);
        sender.setAttribute('name', name);
        sender.textContent = name;
        tr.querySelector('span.bog > span')!.textContent = subject;
      };
      const [code, other] = [
        document.querySelector('tr.zA[data-ttg-kind="code"]')!,
        document.querySelector('tr.zA:not([data-ttg-kind]):not([data-ttg-warning])')!,
      ];
      set(code, 'friend@example.org', 'A friend', 'Photos from the weekend');
      set(other, tiktok.email, tiktok.name, 'leo_dance started following you');
    },
    { tiktok: TIKTOK.notification },
  );
  await expect(page.locator('tr.zA[data-ttg-kind="code"]')).toHaveCount(0);
  await expect(page.locator('tr.zA[data-ttg-kind="follower"] .ttg-chip')).toHaveText('Follower');
  await expect(page.locator('tr.zA:has([email="friend@example.org"]) .ttg-chip')).toHaveCount(0);
  expectContract(await rowStates(page));

  // Gmail replaces the whole tbody (next page of results).
  const tbody: GNode = tbodyNode(generatedRows(40, 'page2'));
  await page.evaluate((json) => {
    const old = document.querySelector('[gh="tl"] table.F > tbody')!;
    old.replaceWith((window as unknown as { ttgBuild(n: unknown): Node }).ttgBuild(JSON.parse(json)));
  }, JSON.stringify(tbody));
  await settled(page, 10);
  expectContract(await rowStates(page));

  // Gmail opens the cached thread: the list view hides, the thread view shows, the hash changes.
  const toggleViews = () =>
    page.evaluate(() => {
      for (const view of document.querySelectorAll<HTMLElement>('.aeF > .nH > .nH'))
        view.style.display = view.style.display === 'none' ? '' : 'none';
    });
  await toggleViews();
  await page.evaluate((id) => (location.hash = `#inbox/${id}`), hexId('message'));
  await expect(page.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'message');
  await settled(page, 1); // the hidden list keeps nothing
  await toggleViews();
  await page.evaluate(() => (location.hash = '#inbox'));
  await settled(page, 10);
  expectContract(await rowStates(page));
  await expect(page.locator('div.adn[data-ttg-kind]')).toHaveCount(0);
});

test('settings apply without reload: kinds off, warnings off, and back on', async ({ openGmail, worker }) => {
  const page = await openGmail({ url: URL, fixture: 'primary-inbox.html' });
  await settled(page, 5);
  const setGmail = (gmail: { kinds: string[]; impersonation_warnings: boolean }) =>
    worker().then((w) =>
      w.evaluate(async (g) => {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const c = (globalThis as any).chrome;
        const { settings } = await c.storage.local.get('settings');
        await c.storage.local.set({
          settings: { ...(settings ?? {}), gmail: { ...(settings?.gmail ?? {}), quick_actions: true, ...g } },
        });
      }, gmail),
    );

  await setGmail({ kinds: ['message', 'security'], impersonation_warnings: false });
  await expect(page.locator('.ttg-chip')).toHaveCount(2);
  await expect(page.locator('tr.zA[data-ttg-warning]')).toHaveCount(0);
  await expect(page.getByText('Not from TikTok', { exact: false })).toHaveCount(0);
  // the contract attributes still say what the rows are; only the chips follow the settings
  await expect(page.locator('tr.zA[data-ttg-kind]')).toHaveCount(4);

  await setGmail({
    kinds: ['code', 'security', 'message', 'comment', 'mention', 'follower', 'like', 'live', 'ads', 'shop', 'other'],
    impersonation_warnings: true,
  });
  await expect(page.locator('.ttg-chip')).toHaveCount(5);
  await expect(page.locator('tr.zA[data-ttg-warning="impersonation"]')).toHaveCount(1);
});
