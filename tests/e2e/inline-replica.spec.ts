/**
 * The whole path against the loopback HTTP sandbox and the live Gmail replica: a TikTok user acts, its notification
 * email appears in the replica's list (by polling), the content script detects it, the user acts from the row chip or
 * the opened thread (opened by clicking the row), and `/sandbox/inspect` shows what TikTok received, exactly once.
 * Each test links one Gmail address through the real flow and shares it for all its steps.
 */
import type { Locator, Page } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import { expectAccessible } from '../support/axe';
import { openReplica } from '../support/gmail-replica';
import { linkAccount, sendMessage } from '../support/link';
import { control, useSandboxService } from '../support/sandbox';
import { pageOf } from '../support/playwright-driver';
import {
  INLINE_GMAIL as GMAIL,
  INLINE_SENDER as SENDER,
  copyCodeFromRow,
  linkedReplica,
  replyOnceFromRow,
  repliesTo,
} from '../scenarios/inline';
import { expect, test } from './fixtures';
import { composerFrame } from './inline-support';

interface Inspected {
  conversations: { participant?: { username: string }; messages: { direction: string; text: string }[] }[];
  comments: { comment_id: string; username: string; parent_comment_id: string | null; text: string }[];
  follows: { follower: string; username: string }[];
}

const inspect = (url: string) => control<Inspected>(url, 'inspect');

/** The replica's list row whose text has `text` (it appears once the replica's polling fetched it). */
const row = (gmail: Page, text: string): Locator => gmail.locator('tr.zA').filter({ hasText: text });

/** Opens a row's thread the way a user does: a click on the row (its sender), not on the extension's chip. */
async function openRow(gmail: Page, text: string): Promise<Locator> {
  await row(gmail, text).locator('.bA4').click();
  await expect(gmail).toHaveURL(/#inbox\/[0-9a-f]{16}$/);
  return gmail.locator('ttg-inline');
}

async function backToList(gmail: Page): Promise<void> {
  await gmail.evaluate(() => {
    location.hash = '#inbox';
  });
  await expect(gmail.locator('tr.zA').first()).toBeVisible();
}

test('message: the row chip opens the composer and the reply arrives once; the 10th reply uses the quota; an older conversation has its window closed', async ({
  driver,
  sandbox,
}) => {
  // The reply sent once from the row chip is the scenario shared with Firefox (tests/scenarios/inline.ts).
  const gmail = pageOf(
    await replyOnceFromRow(driver, sandbox.url, 'docs/screenshots/gmail-replica-row-reply-light.png'),
  );
  const frame = composerFrame(gmail);
  const box = frame.getByRole('textbox', { name: `Reply to @${SENDER}` });

  // Quota: TikTok allows 10 messages without an answer; the 10th is sent, then the composer says why no more.
  await expect(frame.getByTestId('reply-window')).toContainText('9 of 10 messages left');
  for (let i = 2; i <= 10; i++) {
    await box.fill(`update ${i}`);
    await box.press('Enter');
    await expect(frame.getByTestId('outbox-entry').filter({ hasText: `update ${i}` })).toHaveAttribute(
      'data-status',
      'sent',
    );
  }
  await expect(frame.getByTestId('reply-blocked')).toContainText('You have sent 10 messages without an answer');
  await expect(frame.getByTestId('reply-blocked').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  await expect(frame.getByRole('textbox')).toHaveCount(0);
  expect(await repliesTo(sandbox.url, SENDER)).toEqual([
    'Yes, go ahead!',
    ...Array.from({ length: 9 }, (_, i) => `update ${i + 2}`),
  ]);

  // Window: another user's message, read 49 hours later (the sandbox clock), can no longer be answered.
  const LATE = 'kim.replica.late';
  await backToList(gmail);
  await control(sandbox.url, 'simulate', {
    type: 'message',
    to_gmail: GMAIL,
    from_username: LATE,
    text: 'Still there?',
  });
  await expect(
    row(gmail, `@${LATE}`).locator('ttg-chip').getByRole('button', { name: 'Reply', exact: true }),
  ).toBeVisible();
  await control(sandbox.url, 'clock', { advance_s: 49 * 3600 });
  const late = await openRow(gmail, `@${LATE}`);
  await late.getByRole('button', { name: 'Reply on TikTok' }).click();
  const lateFrame = composerFrame(gmail);
  await expect(lateFrame.getByTestId('reply-blocked')).toContainText('The reply window has closed');
  await expect(lateFrame.getByTestId('reply-blocked').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  await expect(lateFrame.getByRole('textbox')).toHaveCount(0);
  expect(await repliesTo(sandbox.url, LATE)).toEqual([]);
});

test('comment and follower: 151 characters refused before sending, 150 sent once; Follow back from the row follows once; Open in TikTok opens the liked video', async ({
  context,
  driver,
  sandbox,
}) => {
  const { gmail: tab, me } = await linkedReplica(driver, sandbox.url);
  const gmail = pageOf(tab);
  const COMMENTER = 'lee.replica.comments';
  await control(sandbox.url, 'simulate', {
    type: 'comment',
    to_gmail: GMAIL,
    from_username: COMMENTER,
    text: 'How did you film this?',
  });

  const bar = await openRow(gmail, `@${COMMENTER}`);
  await bar.getByRole('button', { name: 'Reply', exact: true }).click();
  const frame = composerFrame(gmail);
  await expect(frame.getByRole('list', { name: 'The comment you are replying to' })).toContainText(
    'How did you film this?',
  );
  const box = frame.getByRole('textbox', { name: `Reply to @${COMMENTER}` });
  await box.fill('x'.repeat(151));
  await expect(frame.getByTestId('counter')).toHaveText('151 / 150');
  await expect(frame.getByRole('alert')).toContainText('Too long: 151 of 150 characters');
  await expect(frame.getByRole('button', { name: 'Send' })).toBeDisabled();
  await box.press('Enter');
  const commentId = (await inspect(sandbox.url)).comments.find((c) => c.username === COMMENTER)!.comment_id;
  const repliesToComment = async () =>
    (await inspect(sandbox.url)).comments.filter((c) => c.parent_comment_id === commentId).map((c) => c.text);
  await gmail.waitForTimeout(500); // an Enter that slipped through would have reached the sandbox by now
  expect(await repliesToComment()).toEqual([]);
  await expect(frame.getByTestId('outbox-entry')).toHaveCount(0);
  await box.fill('y'.repeat(150));
  await expect(frame.getByTestId('counter')).toHaveText('150 / 150');
  await frame.getByRole('button', { name: 'Send' }).dblclick(); // a double click queues it once
  await expect(frame.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');
  expect(await repliesToComment()).toEqual(['y'.repeat(150)]);

  // Follow back from the list row, without opening it; TikTok holds one follow.
  const FOLLOWER = 'ana.replica.follows';
  await backToList(gmail);
  await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username: FOLLOWER });
  const followRow = row(gmail, `@${FOLLOWER}`);
  await followRow.locator('ttg-chip').getByRole('button', { name: 'Follow back' }).click();
  await expect(followRow.locator('ttg-chip').getByRole('status')).toHaveText(`You now follow @${FOLLOWER}`);
  await expect(gmail).toHaveURL(/#inbox$/); // the row was not opened
  expect((await inspect(sandbox.url)).follows.filter((f) => f.follower === me && f.username === FOLLOWER)).toHaveLength(
    1,
  );

  // A like: the opened thread's Open in TikTok opens that video, under its owner (us).
  const VIDEO = '7301234567890123456';
  await control(sandbox.url, 'simulate', { type: 'like', to_gmail: GMAIL, from_username: FOLLOWER, video_id: VIDEO });
  const likeBar = await openRow(gmail, 'liked your video');
  const opened = context.waitForEvent('request', {
    predicate: (r) => r.resourceType() === 'document' && !r.url().startsWith('https://mail.google.com/'),
  });
  await likeBar.getByRole('link', { name: 'Open in TikTok' }).click();
  expect((await opened).url()).toBe(`https://www.tiktok.com/@${me}/video/${VIDEO}`);
});

test('code and not linked: Copy code from the row puts the code on the clipboard without opening it; an unlinked Gmail account is offered Link TikTok to reply', async ({
  context,
  driver,
  sandbox,
}) => {
  // Copy code is the scenario shared with Firefox (tests/scenarios/inline.ts).
  const gmail = pageOf((await copyCodeFromRow(driver, sandbox.url)).gmail);

  // A second Gmail account in the same browser, never linked: its TikTok message offers the link flow for that address.
  const OTHER = 'pat.unlinked@gmail.com';
  const other = await openReplica(context, { sandboxUrl: sandbox.url, gmail: OTHER, accountIndex: 1, layout: 'inbox' });
  await control(sandbox.url, 'simulate', { type: 'message', to_gmail: OTHER, from_username: SENDER, text: 'Hello?' });
  const linkChip = row(other, `@${SENDER}`).locator('ttg-chip').getByRole('button', { name: 'Link TikTok to reply' });
  await expect(linkChip).toBeVisible();
  await expect(
    row(other, `@${SENDER}`).locator('ttg-chip').getByRole('button', { name: 'Reply', exact: true }),
  ).toHaveCount(0);
  const linkPage = context.waitForEvent('page', { predicate: (p) => p.url().includes('popup.html') });
  await linkChip.click();
  const url = new URL((await linkPage).url());
  expect(url.hash).toContain('link');
  expect(decodeURIComponent(url.hash)).toContain(OTHER);
  // The linked account's replica still offers Reply on its own message rows.
  await control(sandbox.url, 'simulate', { type: 'message', to_gmail: GMAIL, from_username: SENDER, text: 'And you?' });
  await expect(
    row(gmail, `@${SENDER}`).locator('ttg-chip').getByRole('button', { name: 'Reply', exact: true }),
  ).toBeVisible();
});

test('Review request on a list row opens the review page of the request that row is about, like the opened email (bug 2)', async ({
  context,
  driver,
  sandbox,
}) => {
  const gmail = pageOf((await linkedReplica(driver, sandbox.url)).gmail);
  const request = async (advertiser_id: string) => {
    const { email } = await control<{ email: MailboxEmail }>(sandbox.url, 'simulate', {
      type: 'ads_request',
      to_gmail: GMAIL,
      advertiser_id,
    });
    return { subject: email.subject, id: new URL(email.links[0]!.href).searchParams.get('authorization_id')! };
  };
  const [rivera, sunset] = [await request('7301000000000000001'), await request('7301000000000000004')];
  for (const r of [rivera, sunset]) {
    const opened = context.waitForEvent('page', { predicate: (p) => p.url().startsWith('chrome-extension://') });
    await row(gmail, r.subject).locator('ttg-chip').getByRole('button', { name: 'Review request' }).click();
    const page = await opened;
    expect(new URL(page.url()).pathname).toBe('/review.html');
    expect(new URL(page.url()).searchParams.get('id')).toBe(r.id);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.close();
  }
  await expect(gmail).toHaveURL(/#inbox$/); // the rows were not opened
});

test('an open Gmail tab follows linking, unlinking and re-auth within a second, without a reload (bug 3)', async ({
  context,
  sandbox,
  worker,
  openExtensionPage,
}) => {
  const ADDRESS = 'casey.tabs@gmail.com';
  await useSandboxService(await worker(), sandbox.url);
  await control(sandbox.url, 'simulate', {
    type: 'message',
    to_gmail: ADDRESS,
    from_username: SENDER,
    text: 'Are you there?',
  });
  const gmail = await openReplica(context, { sandboxUrl: sandbox.url, gmail: ADDRESS, layout: 'inbox' });
  const chip = row(gmail, `@${SENDER}`).locator('ttg-chip');
  const linkPrompt = chip.getByRole('button', { name: 'Link TikTok to reply' });
  const reply = chip.getByRole('button', { name: 'Reply', exact: true });
  await expect(linkPrompt).toBeVisible();

  const options = await openExtensionPage('options.html'); // linking happens in another tab; the Gmail tab stays as it is
  await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: ADDRESS });
  await expect(reply).toBeVisible({ timeout: 1_000 });

  expect((await sendMessage(options, 'unlink', { gmail: ADDRESS })).ok).toBe(true);
  await expect(linkPrompt).toBeVisible({ timeout: 1_000 });

  const relinked = await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: ADDRESS });
  await expect(reply).toBeVisible({ timeout: 1_000 });
  await control(sandbox.url, 'reauth', { link_id: relinked.link_id }); // TikTok stops honouring the grant…
  await sendMessage(options, 'pollNow', {}); // …which the worker learns at its next poll
  await expect(linkPrompt).toBeVisible({ timeout: 1_000 });
});

test('Follow back says "Following" for someone the account already follows, in the row and in the opened email (bug 16)', async ({
  driver,
  sandbox,
}) => {
  const linked = await linkedReplica(driver, sandbox.url);
  const [gmail, me] = [pageOf(linked.gmail), linked.me];
  const FRIEND = 'noor.replica.friend';
  await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username: FRIEND });
  const first = row(gmail, `@${FRIEND}`).first().locator('ttg-chip');
  await first.getByRole('button', { name: 'Follow back' }).click();
  await expect(first.getByRole('status')).toHaveText(`You now follow @${FRIEND}`);

  // They follow again later (a new email): TikTok knows the account follows them, so there is nothing to offer.
  await control(sandbox.url, 'clock', { advance_s: 3600 });
  await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username: FRIEND });
  await expect(row(gmail, `@${FRIEND}`)).toHaveCount(2);
  const again = row(gmail, `@${FRIEND}`).first().locator('ttg-chip');
  await expect(again.getByRole('status')).toHaveText('Following');
  await expect(again.getByRole('status')).toHaveAttribute('title', `You already follow @${FRIEND}`);
  await expect(again.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  await row(gmail, `@${FRIEND}`).first().locator('.bA4').click();
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByRole('status').filter({ hasText: 'Following' })).toBeVisible();
  await expect(bar.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  const follows = (await inspect(sandbox.url)).follows.filter((f) => f.follower === me && f.username === FRIEND);
  expect(follows).toHaveLength(1);
});

test('axe: the inline UI in Gmail (row chips, quick actions, impostor warning, the actions under an opened email) has no violations', async ({
  context,
  driver,
  sandbox,
}) => {
  const gmail = pageOf((await linkedReplica(driver, sandbox.url)).gmail);
  for (const type of ['message', 'comment', 'follower', 'code', 'ads_request', 'like'] as const) {
    await control(sandbox.url, 'simulate', {
      type,
      to_gmail: GMAIL,
      from_username: type === 'code' || type === 'ads_request' ? undefined : SENDER,
    });
  }
  const impostor: Parameters<typeof openReplica>[1]['extra'] = [
    {
      id: 'axe-impostor',
      from: { name: 'TikTok', email: 'support@tiktok-security-help.com' },
      subject: 'URGENT: Your Account Has Violated Community Guidelines',
      text: 'Your account will be deleted within 48 hours.',
      links: [{ text: 'Review Violation Details', href: 'https://tiktok-security-help.com/review' }],
      sent_at: new Date().toISOString(),
    },
  ];
  const page = await openReplica(context, {
    sandboxUrl: sandbox.url,
    gmail: GMAIL,
    layout: 'primary',
    extra: impostor,
  });
  for (const name of ['Review request', 'Follow back', 'Reply'])
    await expect(page.locator('ttg-chip').getByRole('button', { name, exact: true }).first()).toBeVisible();
  await expect(page.locator('.ttg-warn')).toHaveCount(1);
  const ours = ['.ttg-chip', 'ttg-chip', 'ttg-inline', '.ttg-banner'];
  await expectAccessible(page, 'Gmail list with chips and quick actions', { include: ours });
  await page.locator('tr.zA').filter({ hasText: 'sent you a message' }).locator('.bA4').click();
  await page.locator('ttg-inline').getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(composerFrame(page).getByRole('textbox')).toBeVisible(); // the composer is our own frame: axe checks it too
  await expectAccessible(page, 'opened message with the composer', { include: ours });
  await page.evaluate(() => (location.hash = '#inbox'));
  await page.locator('tr.zA').filter({ hasText: 'URGENT' }).locator('.bA4').click();
  await expect(page.locator('.ttg-banner')).toBeVisible();
  await expectAccessible(page, 'opened impostor email with the warning banner', { include: ours });
});
