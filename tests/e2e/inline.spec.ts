/**
 * Inline actions in Gmail, end to end: the embedded sandbox sends the notification email, a Gmail page shows it, the
 * content script detects it and offers the action, and the sandbox (GET /sandbox/inspect) shows what TikTok received.
 */
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { stopServiceWorker } from '../support/worker';
import {
  GMAIL,
  INBOX_URL,
  THREAD_URL,
  call,
  composerFrame,
  inspect,
  linkGmail,
  listPage,
  setQuickActions,
  simulate,
  threadPage,
} from './inline-support';
import { saveScreenshot } from '../support/screenshots';

/** A TikTok user the sandbox creates on the fly (none of its seeded data involves them). */
const SENDER = 'sam.inline.test';

async function controlPage(openExtensionPage: (file: string) => Promise<Page>): Promise<Page> {
  return openExtensionPage('options.html');
}

const repliesTo = async (page: Page, username: string) => {
  const state = await inspect(page);
  const conversation = state.conversations.find((c) => JSON.stringify(c).includes(`"${username}"`));
  return (conversation?.messages ?? []).filter((m) => m.direction === 'out').map((m) => m.text);
};

test('message: Reply on TikTok shows the conversation, keeps the draft over a worker stop and a reload, sends once, and Gmail never sees the keys', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  await linkGmail(context, control, GMAIL);
  const email = await simulate(control, {
    type: 'message',
    to_gmail: GMAIL,
    from_username: SENDER,
    text: 'Are you free on Friday?',
  });

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const bar = gmail.locator('ttg-inline');
  const frame = composerFrame(gmail);
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(frame.getByRole('list', { name: 'Recent messages' })).toContainText('Are you free on Friday?');
  await expect(frame.getByTestId('reply-window')).toContainText('10 of 10 messages left');
  await expect(frame.getByTestId('reply-window')).toContainText(/4[78] h \d+ min left to reply/);

  const box = frame.getByRole('textbox', { name: `Reply to @${SENDER}` });
  await expect(box).toBeFocused();
  await box.pressSequentially('c r e # j k ');
  expect(await gmail.evaluate(() => (window as unknown as { __keys: string[] }).__keys)).toEqual([]);
  await box.press('Shift+Enter');
  await box.pressSequentially('Friday works');
  await expect(frame.getByTestId('counter')).toHaveText('25 / 6000');
  // The page holds none of it: the conversation and the draft are in our frame, not in Gmail's DOM or our shadow root.
  const pageText = () =>
    gmail.evaluate(
      () =>
        document.documentElement.outerHTML +
        [...document.querySelectorAll('ttg-inline')].map((h) => h.shadowRoot?.innerHTML).join(''),
    );
  expect(await pageText()).not.toContain('Friday works');
  expect(await pageText()).not.toContain('Recent messages');

  // The draft survives the worker stopping and a reload of Gmail (stopped once the worker holds it: not on a timer).
  await expect
    .poll(async () => (await call(control, 'draftGet', { key: `message:${GMAIL}:${SENDER}` })).text)
    .toBe('c r e # j k \nFriday works');
  expect(await stopServiceWorker(context)).toBe(true);
  await gmail.reload();
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(box).toHaveValue('c r e # j k \nFriday works');

  await box.press('Enter');
  await box.press('Enter'); // a second Enter on the (now empty) box sends nothing more
  const entry = frame.getByTestId('outbox-entry');
  await expect(entry).toHaveAttribute('data-status', 'sent');
  await expect(entry).toContainText(/Sent at \d/);
  await expect(box).toHaveValue('');
  await expect(frame.getByTestId('reply-window')).toContainText('9 of 10 messages left');
  expect(await repliesTo(control, SENDER)).toEqual(['c r e # j k \nFriday works']);
  await expect(frame.getByRole('list', { name: 'Recent messages' }).getByRole('listitem').last()).toContainText(
    'Friday works',
  );
  // Keyboard only: Escape closes the composer back to its button, Enter on the button opens it again.
  await box.press('Escape');
  await expect(box).toHaveCount(0);
  const toggle = bar.getByRole('button', { name: 'Reply on TikTok' });
  await expect(toggle).toBeFocused();
  await toggle.press('Enter');
  await expect(box).toBeFocused();
  await expect(box).toHaveValue(''); // the reply just sent is not offered again as a draft
  expect(await gmail.evaluate(() => (window as unknown as { __keys: string[] }).__keys)).toEqual([]);
  await gmail.setViewportSize({ width: 1280, height: 900 });
  await gmail.locator('ttg-inline').scrollIntoViewIfNeeded();
  await saveScreenshot(gmail, 'docs/screenshots/gmail-reply-light.png', { fullPage: true });
});

test('comment: 151 characters are refused before sending, 150 are sent once as a reply to that comment; a held reply says pending review', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  await linkGmail(context, control, GMAIL);
  const email = await simulate(control, {
    type: 'comment',
    to_gmail: GMAIL,
    from_username: SENDER,
    text: 'How did you film this?',
  });

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const bar = gmail.locator('ttg-inline');
  const frame = composerFrame(gmail);
  await bar.getByRole('button', { name: 'Reply', exact: true }).click();
  await expect(frame.getByRole('list', { name: 'The comment you are replying to' })).toContainText(
    'How did you film this?',
  );
  const box = frame.getByRole('textbox', { name: `Reply to @${SENDER}` });
  await box.fill('x'.repeat(151));
  await expect(frame.getByTestId('counter')).toHaveText('151 / 150');
  await expect(frame.getByRole('alert')).toContainText('Too long: 151 of 150 characters');
  await expect(frame.getByRole('button', { name: 'Send' })).toBeDisabled();
  await gmail.setViewportSize({ width: 1280, height: 900 });
  await gmail.locator('ttg-inline').scrollIntoViewIfNeeded();
  await saveScreenshot(gmail, 'docs/screenshots/gmail-comment-over-limit-light.png', { fullPage: true });
  await box.press('Enter');
  await gmail.waitForTimeout(500);
  const repliesToComment = async () =>
    (await inspect(control)).comments.filter((c) => c.parent_comment_id === commentId).map((c) => c.text);
  const commentId = (await inspect(control)).comments.find((c) => c.username === SENDER)!.comment_id;
  expect(await repliesToComment()).toEqual([]);

  const reply = 'y'.repeat(150);
  await box.fill(reply);
  await expect(frame.getByTestId('counter')).toHaveText('150 / 150');
  await frame.getByRole('button', { name: 'Send' }).dblclick(); // a double click queues it once
  await expect(frame.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');
  expect(await repliesToComment()).toEqual([reply]);

  // A reply TikTok holds for review says so.
  await box.fill('Tutorial here: https://example.com/how');
  await box.press('Enter');
  await expect(frame.getByTestId('outbox-entry').last()).toContainText(/Sent at .+, pending review by TikTok/);
  expect(await repliesToComment()).toEqual([reply, 'Tutorial here: https://example.com/how']);
});

test('follower: Follow back from the list row (without opening it) follows them once; the open email then shows their profile and says Following', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  const me = await linkGmail(context, control, GMAIL);
  const email = await simulate(control, { type: 'follower', to_gmail: GMAIL, from_username: SENDER });

  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, [email]) });
  await list.locator('ttg-chip').getByRole('button', { name: 'Follow back' }).click();
  await expect(list.locator('ttg-chip').getByRole('status')).toHaveText(`You now follow @${SENDER}`);
  expect(await list.evaluate(() => (window as unknown as { __rowClicks: number }).__rowClicks)).toBe(0);

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    `https://www.tiktok.com/@${SENDER}`,
  );
  await expect(bar.getByRole('status')).toHaveText('Following'); // already followed: nothing to offer again
  await expect(bar.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  const follows = (await inspect(control)).follows as { follower: string; username: string }[];
  expect(follows.filter((f) => f.follower === me && f.username === SENDER)).toHaveLength(1);
});

test('code: Copy code in the email and in the list row puts it on the clipboard without opening the row; Use code to link opens the link flow', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://mail.google.com' });
  const control = await controlPage(openExtensionPage);
  await call(control, 'linkStart', { gmail: GMAIL });
  const [codeEmail] = (await call(control, 'sandboxMailbox', { gmail: GMAIL })) as Parameters<typeof threadPage>[1][];
  const code = /^(\d{6})/.exec(codeEmail!.subject)![1]!;

  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, [codeEmail!]) });
  const chip = list.locator('ttg-chip').getByRole('button', { name: `Copy code ${code}` });
  await chip.click();
  await expect(chip).toHaveText('Copied');
  expect(await list.evaluate(() => navigator.clipboard.readText())).toBe(code);
  expect(await list.evaluate(() => (window as unknown as { __rowClicks: number }).__rowClicks)).toBe(0);
  await list.setViewportSize({ width: 1280, height: 260 });
  await saveScreenshot(list, 'docs/screenshots/gmail-row-copy-code-light.png');
  await list.evaluate(() => navigator.clipboard.writeText(''));

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, codeEmail!) });
  const bar = gmail.locator('ttg-inline');
  await bar.getByRole('button', { name: `Copy code ${code}` }).click();
  await expect(bar.getByRole('button', { name: `Copy code ${code}` })).toHaveText('Copied');
  expect(await gmail.evaluate(() => navigator.clipboard.readText())).toBe(code);

  const linkPage = context.waitForEvent('page', { predicate: (p) => p.url().includes('popup.html') });
  await bar.getByRole('button', { name: 'Use code to link' }).click();
  expect(new URL((await linkPage).url()).hash).toContain('link');
});

test('like and LIVE: Open in TikTok opens the liked video (under its owner) and the LIVE, built from the extracted facts', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  const me = await linkGmail(context, control, GMAIL);
  const email = await simulate(control, {
    type: 'like',
    to_gmail: GMAIL,
    from_username: SENDER,
    video_id: '7301234567890123456',
  });
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const opened = context.waitForEvent('request', {
    predicate: (r) => r.resourceType() === 'document' && !r.url().startsWith('https://mail.google.com/'),
  });
  await gmail.locator('ttg-inline').getByRole('link', { name: 'Open in TikTok' }).click();
  const url = (await opened).url();
  expect(url).toBe(`https://www.tiktok.com/@${me}/video/7301234567890123456`);

  const live = await simulate(control, { type: 'live', to_gmail: GMAIL, from_username: SENDER });
  const livePage = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, live) });
  await expect(livePage.locator('ttg-inline').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    `https://www.tiktok.com/@${SENDER}/live`,
  );
});

test('message: after 49 hours the window has closed; the composer says why and offers Open in TikTok (dark theme)', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  await linkGmail(context, control, GMAIL);
  const email = await simulate(control, {
    type: 'message',
    to_gmail: GMAIL,
    from_username: SENDER,
    text: 'Still there?',
  });
  await call(control, 'sandboxControl', { action: 'clock', body: { advance_s: 49 * 3600 } });
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email, { dark: true }) });
  const bar = gmail.locator('ttg-inline');
  const frame = composerFrame(gmail);
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(frame.getByTestId('reply-blocked')).toContainText('The reply window has closed');
  await expect(frame.getByTestId('reply-blocked').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  await expect(frame.getByRole('textbox')).toHaveCount(0);
  const frameTheme = () => frame.locator('#app').getAttribute('data-theme');
  await expect.poll(frameTheme).toBe('dark');
  await gmail.setViewportSize({ width: 1280, height: 800 });
  await bar.scrollIntoViewIfNeeded();
  await saveScreenshot(gmail, 'docs/screenshots/gmail-window-expired-dark.png', { fullPage: true });
  // Gmail switched to a light theme while the composer is open: the composer follows.
  await gmail.evaluate(() => document.body.classList.remove('dark'));
  await expect.poll(frameTheme).toBe('light');
});

test('message: the 10th reply uses the quota; the composer then says so and offers Open in TikTok; a refused reply stays a draft to discard', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  await linkGmail(context, control, GMAIL);
  const email = await simulate(control, { type: 'message', to_gmail: GMAIL, from_username: SENDER });
  const { conversation } = await call(control, 'conversationContext', { gmail: GMAIL, username: SENDER });
  const target = { kind: 'message' as const, username: SENDER, conversation_id: conversation!.conversation_id };
  for (let i = 1; i <= 9; i++)
    await call(control, 'sendReply', { gmail: GMAIL, target, text: `reply ${i}`, client_key: `quota-test-${i}` });
  await expect.poll(async () => (await repliesTo(control, SENDER)).length, { timeout: 15_000 }).toBe(9);

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const bar = gmail.locator('ttg-inline');
  const frame = composerFrame(gmail);
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  await expect(frame.getByTestId('reply-window')).toContainText('1 of 10 messages left');
  await frame.getByRole('textbox').fill('reply 10');
  await frame.getByRole('textbox').press('Enter');
  await expect(frame.getByTestId('reply-blocked')).toContainText('You have sent 10 messages without an answer');
  await expect(frame.getByTestId('reply-blocked').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  expect(await repliesTo(control, SENDER)).toHaveLength(10);

  // An 11th reply queued elsewhere is refused for good: it stays as a draft with the reason, to edit, resend or discard.
  await call(control, 'sendReply', { gmail: GMAIL, target, text: 'reply 11', client_key: 'quota-test-11' });
  await expect
    .poll(
      async () => (await call(control, 'outboxList', { gmail: GMAIL })).find((e) => e.text === 'reply 11')?.status,
      { timeout: 10_000 },
    )
    .toBe('draft');
  await gmail.reload();
  await bar.getByRole('button', { name: 'Reply on TikTok' }).click();
  const refused = frame.getByTestId('outbox-entry').filter({ hasText: 'reply 11' });
  await expect(refused).toHaveAttribute('data-status', 'draft');
  await expect(refused).toContainText('Not sent:');
  await expect(refused.getByRole('button', { name: 'Edit' })).toBeVisible();
  await expect(refused.getByRole('button', { name: 'Resend' })).toBeVisible();
  await refused.getByRole('button', { name: 'Discard' }).click();
  await expect(refused).toHaveCount(0);
  expect((await call(control, 'outboxList', { gmail: GMAIL })).some((e) => e.text === 'reply 11')).toBe(false);
  expect(await repliesTo(control, SENDER)).toHaveLength(10);
});

test('not linked: the actions say Link TikTok to reply and open the link flow', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  const email = await simulate(control, { type: 'message', to_gmail: GMAIL, from_username: SENDER });
  const follower = await simulate(control, { type: 'follower', to_gmail: GMAIL, from_username: SENDER });
  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, [email, follower]) });
  await expect(list.locator('ttg-chip').getByRole('button', { name: 'Link TikTok to reply' })).toBeVisible();
  await expect(list.locator('ttg-chip').getByRole('button', { name: 'Link TikTok to follow back' })).toBeVisible();
  // Settings gmail.quick_actions off: the rows keep their kind chips but offer no action, at once.
  await setQuickActions(control, false);
  await expect(list.locator('ttg-chip')).toHaveCount(0);
  await expect(list.locator('[data-ttg-chip]')).toHaveCount(2);

  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByRole('button', { name: 'Reply on TikTok' })).toHaveCount(0);
  const linkPage = context.waitForEvent('page', { predicate: (p) => p.url().includes('popup.html') });
  await bar.getByRole('button', { name: 'Link TikTok to reply' }).click();
  const url = new URL((await linkPage).url());
  expect(url.hash).toContain('link');
  expect(decodeURIComponent(url.hash)).toContain(GMAIL);
});

test('ads request: Review request opens the extension review page for that authorization', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  const control = await controlPage(openExtensionPage);
  await linkGmail(context, control, GMAIL);
  const email = await simulate(control, { type: 'ads_request', to_gmail: GMAIL });
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  const review = context.waitForEvent('page', { predicate: (p) => p.url().includes('review.html') });
  await gmail.locator('ttg-inline').getByRole('button', { name: 'Review request' }).click();
  expect(new URL((await review).url()).searchParams.get('id')).toMatch(/\S/);
});
