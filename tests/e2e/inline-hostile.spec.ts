/**
 * Hostile content around the inline actions: TikTok text and email bodies full of markup, event handlers,
 * `javascript:` links, lookalike TikTok URLs and a huge body. Nothing may execute (the page's `window.__pwned` trap
 * stays unset) and no action may point anywhere but a www.tiktok.com page built from the extracted facts.
 */
import { expect, test } from './fixtures';
import type { MailboxEmail } from '@/utils/sandbox';
import { GMAIL, THREAD_URL, composerFrame, linkGmail, simulate, threadPage } from './inline-support';

const SENDER = 'sam.hostile.test';
const PAYLOADS = [
  `<img src=x onerror="window.__pwned='img'">`,
  `<script>window.__pwned='script'</script>`,
  `<svg onload="window.__pwned='svg'"></svg>`,
  `"><iframe srcdoc="<script>parent.__pwned='iframe'</script>">`,
  `javascript:window.__pwned='js'`,
];
const LOOKALIKES = [
  'https://www.tiktok.com.evil.example/@sam.hostile.test/video/7301234567890123456',
  'https://tiktok.com@evil.example/@sam.hostile.test',
  'https://www-tiktok.com/@sam.hostile.test',
  'https://xn--tiktk-rta.com/@sam.hostile.test',
  "javascript:window.__pwned='link'",
];

const inlineHrefs = (page: import('@playwright/test').Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('ttg-inline, ttg-chip')].flatMap((host) =>
      [...(host.shadowRoot?.querySelectorAll('a') ?? [])].map((a) => a.href),
    ),
  );

test('hostile TikTok text and email bodies: nothing executes, and actions only open www.tiktok.com pages built from facts', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await openExtensionPage('options.html');
  await linkGmail(context, control, GMAIL);

  // 1. A direct message whose text is markup: the composer's history shows it as text.
  const hostileText = PAYLOADS.join(' ');
  const dm = await simulate(control, { type: 'message', to_gmail: GMAIL, from_username: SENDER, text: hostileText });
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, dm) });
  const bar = gmail.locator('ttg-inline');
  const frame = composerFrame(gmail);
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(frame.getByRole('list', { name: 'Recent messages' })).toContainText(
    `<img src=x onerror="window.__pwned='img'">`,
  );
  expect(await frame.locator('#app img, #app script, #app svg, #app iframe').count()).toBe(0);
  expect(
    await bar.evaluate(
      (host) => host.shadowRoot!.querySelectorAll('img, script, svg, iframe:not([data-ttg-frame])').length,
    ),
  ).toBe(0);
  // A reply typed as markup is sent as that text.
  await frame.getByRole('textbox').fill(PAYLOADS[0]!);
  await frame.getByRole('textbox').press('Enter');
  await expect(frame.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');
  await expect(frame.getByTestId('outbox-entry')).toContainText(PAYLOADS[0]!);
  expect(
    await frame.locator('#app').evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned),
  ).toBeUndefined();

  // 2. A genuine follower email whose body carries markup, javascript: and lookalike links, and 300 KB of text:
  //    Follow back and Open in TikTok are offered for the subject's (@username), which its own profile link confirms;
  //    Open in TikTok is that profile. Without the profile link (lookalikes only) nothing targets anyone (issue 11 §3).
  const follower = await simulate(control, { type: 'follower', to_gmail: GMAIL, from_username: SENDER });
  const hostileFollower: MailboxEmail = {
    ...follower,
    text: `${follower.text}\n${PAYLOADS.join('\n')}\n${'lorem ipsum '.repeat(25_000)}`,
    links: [...follower.links, ...LOOKALIKES.map((href) => ({ text: 'View profile', href }))],
  };
  const followerPage = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, hostileFollower) });
  await expect(followerPage.locator('ttg-inline').getByRole('button', { name: 'Follow back' })).toBeVisible();
  expect(await inlineHrefs(followerPage)).toEqual([`https://www.tiktok.com/@${SENDER}`]);
  await followerPage
    .locator('ttg-inline')
    .getByRole('link', { name: 'Open in TikTok' })
    .click({ modifiers: ['Control'] });
  const unconfirmed = await openGmail({
    url: THREAD_URL,
    html: threadPage(GMAIL, { ...hostileFollower, links: LOOKALIKES.map((href) => ({ text: 'View profile', href })) }),
  });
  await expect(unconfirmed.locator('ttg-inline').locator('[data-ttg-handle-problem="unconfirmed"]')).toBeVisible();
  await expect(unconfirmed.locator('ttg-inline').getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  expect(await inlineHrefs(unconfirmed)).toEqual([]);

  // 3. A like email whose only way to name a user or video is a lookalike link: no action at all.
  const like = await simulate(control, { type: 'like', to_gmail: GMAIL, from_username: SENDER });
  const hostileLike: MailboxEmail = {
    ...like,
    subject: 'Someone liked your video',
    text: `Someone liked your video.\n${PAYLOADS.join('\n')}`,
    links: LOOKALIKES.map((href) => ({ text: 'View video', href })),
  };
  const likePage = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, hostileLike) });
  await expect(likePage.locator('[data-ttg-kind], [data-ttg-chip]').first()).toBeAttached();
  await likePage.waitForTimeout(500);
  expect(await inlineHrefs(likePage)).toEqual([]);

  for (const page of [gmail, followerPage, unconfirmed, likePage]) {
    expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  }
  for (const page of context.pages()) expect(page.url()).not.toMatch(/evil|xn--|www-tiktok|^javascript:/);
});
