/**
 * Issue 15 in Chromium: the service's own notification emails in Gmail. The service is the loopback sandbox served at
 * https://tgl.example.com (the browser's requests there are routed to it), its discovery answer listing the
 * notification senders each test chooses. Its emails are TikTok's templates from `TikTok Gmail Link
 * <notify@mail.example.com>` (tests/support/service-notifications.ts): chips and inline actions as on TikTok's own
 * when the service lists that sender at its own domain; a lookalike of that domain gets the impostor warning; a
 * service listing another company's address gets nothing trusted.
 */
import type { Page } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import { linkAccount } from '../support/link';
import { control } from '../support/sandbox';
import { acceptedSenders, SERVICE_FROM, SERVICE_URL, serviceEmail, useService } from '../support/service-notifications';
import { expect, test } from './fixtures';
import { composerFrame, INBOX_URL, listPage, sendReply, THREAD_URL, threadPage } from './inline-support';

const GMAIL = 'robin.notify@gmail.com';
const SENDER = 'sam.notify';

const simulate = async (url: string, body: Record<string, unknown>) =>
  (await control<{ email: MailboxEmail }>(url, 'simulate', { to_gmail: GMAIL, from_username: SENDER, ...body })).email;

/** An email as another sender would send it: TikTok's template, another From. */
const from = (email: MailboxEmail, name: string, address: string, id: string): MailboxEmail => ({
  ...serviceEmail(email, { name, email: address }),
  id,
});

const row = (gmail: Page, subject: string, name: string) =>
  gmail.locator('tr.zA').filter({ hasText: subject }).filter({ hasText: name });

test('the service’s DM and comment emails get their chips, Reply on TikTok (sent once) and Open in TikTok', async ({
  context,
  worker,
  sandbox,
  openExtensionPage,
  openGmail,
}) => {
  await useService(await worker(), sandbox.url, context, [SERVICE_FROM.email]);
  const options = await openExtensionPage('options.html');
  await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: GMAIL });
  await expect
    .poll(async () => acceptedSenders(await worker()))
    .toEqual({ service: SERVICE_URL, addresses: [SERVICE_FROM.email], domain: 'example.com' });

  const dm = serviceEmail(await simulate(sandbox.url, { type: 'message', text: 'Can we film on Friday?' }));
  const comment = serviceEmail(
    await simulate(sandbox.url, { type: 'comment', text: 'Love this edit', video_id: '7301234567890123456' }),
  );
  expect(dm.from).toEqual(SERVICE_FROM);
  expect(dm.reply_to).toMatch(/^reply\+\S+@reply\.example\.com$/);

  // The list: both rows are TikTok activity, kind chips and all.
  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, [dm, comment]) });
  await expect(row(list, dm.subject, SERVICE_FROM.name)).toHaveAttribute('data-ttg-kind', 'message');
  await expect(row(list, comment.subject, SERVICE_FROM.name)).toHaveAttribute('data-ttg-kind', 'comment');
  await expect(row(list, dm.subject, SERVICE_FROM.name).locator('.ttg-chip')).toHaveText('Message');
  await expect(list.locator('tr.zA[data-ttg-warning]')).toHaveCount(0);

  // The DM opened: Reply on TikTok shows the conversation; the reply reaches TikTok once.
  const thread = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, dm) });
  await expect(thread.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'message');
  await thread.locator('ttg-inline').getByRole('button', { name: 'Reply on TikTok' }).click();
  const frame = composerFrame(thread);
  await expect(frame.getByRole('list', { name: 'Recent messages' })).toContainText('Can we film on Friday?');
  await sendReply(frame, 'Friday works');
  const inspected = await control<{ conversations: { messages: { direction: string; text: string }[] }[] }>(
    sandbox.url,
    'inspect',
  );
  expect(
    inspected.conversations
      .flatMap((c) => c.messages)
      .filter((m) => m.direction === 'out' && m.text === 'Friday works'),
  ).toHaveLength(1);

  // The comment opened: Open in TikTok is the video, built from the email's facts.
  const commentThread = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, comment) });
  await expect(commentThread.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'comment');
  await expect(commentThread.locator('ttg-inline').getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    /^https:\/\/www\.tiktok\.com\/@[\w.]+\/video\/7301234567890123456$/,
  );
});

test('lookalikes of the service’s domain get the impostor warning; its real sender is TikTok activity', async ({
  context,
  worker,
  sandbox,
  openGmail,
}) => {
  await useService(await worker(), sandbox.url, context, [SERVICE_FROM.email]);
  await expect.poll(async () => acceptedSenders(await worker())).toMatchObject({ addresses: [SERVICE_FROM.email] });
  const dm = await simulate(sandbox.url, { type: 'message', text: 'Hi!' });
  const mails = [
    from(dm, SERVICE_FROM.name, SERVICE_FROM.email, 'real'),
    from(dm, 'Link alerts', 'notify@mail.exarnple.com', 'rn'),
    from(dm, 'Link alerts', 'notify@example.com.evil.io', 'extra-labels'),
    from(dm, 'Link alerts', 'notify@mail.xn--exmple-4nf.com', 'punycode'),
    from(dm, 'Link alerts', 'notify@mail.exаmple.com', 'cyrillic'),
    from(dm, 'Robin', 'robin@example.com', 'same-domain-person'),
  ];
  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, mails) });
  await expect(row(list, dm.subject, SERVICE_FROM.name)).toHaveAttribute('data-ttg-kind', 'message');
  await expect(list.locator('tr.zA[data-ttg-warning="impersonation"]')).toHaveCount(4);
  await expect(list.locator('tr.zA[data-ttg-warning="impersonation"] .ttg-warn').first()).toContainText(
    'Not from TikTok',
  );
  await expect(list.locator('tr.zA[data-ttg-kind]')).toHaveCount(1);

  const lookalike = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, mails[1]!) });
  await expect(lookalike.locator('div.adn')).toHaveAttribute('data-ttg-warning', 'impersonation');
  await expect(lookalike.locator('ttg-inline')).toHaveCount(0);
});

test('a service listing another company’s addresses gets nothing trusted', async ({
  context,
  worker,
  sandbox,
  openGmail,
}) => {
  await useService(await worker(), sandbox.url, context, [
    'noreply@gmail.com',
    'notification@service.tiktok.com',
    'notify@example.co.uk',
    '@example.org',
  ]);
  await expect
    .poll(async () => acceptedSenders(await worker()))
    .toEqual({ service: SERVICE_URL, addresses: [], domain: 'example.com' });
  const dm = await simulate(sandbox.url, { type: 'message', text: 'Hi!' });
  const mails = [
    from(dm, 'Link alerts', 'noreply@gmail.com', 'gmail'),
    from(dm, 'Link alerts', 'notify@example.co.uk', 'co-uk'),
    from(dm, SERVICE_FROM.name, 'noreply@gmail.com', 'gmail-claims-tiktok'),
  ];
  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, mails) });
  await expect(list.locator('tr.zA[data-ttg-warning="impersonation"]')).toHaveCount(2); // its name claims TikTok; example.co.uk reads as example
  await expect(list.locator('tr.zA[data-ttg-kind]')).toHaveCount(0);
  const thread = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, mails[0]!) });
  await expect(thread.locator('div.adn')).not.toHaveAttribute('data-ttg-kind', /./);
  await expect(thread.locator('ttg-inline')).toHaveCount(0);
});
