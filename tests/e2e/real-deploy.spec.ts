/**
 * The extension on a deployment over TikTok's real APIs (API 1.1), against the loopback sandbox in its `tiktok-like`
 * profile: Options and the popup say what the service is and can do; in Gmail no control is offered that can only
 * fail (Follow back → Open profile on TikTok, the composers → the reason and Open in TikTok), with the fallback pages
 * opened; follower activity as counts; Ads by invite link on both sides (Copy link, Email it from Gmail opening Gmail's
 * compose window of that account, Approve in TikTok on the owner's review page).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from '@playwright/test';
import type { MailboxEmail } from '@/utils/sandbox';
import { fakePermissionPrompt } from '../support/permissions';
import { linkAccount, sendMessage as send } from '../support/link';
import { control, useSandboxService } from '../support/sandbox';
import { saveScreenshot } from '../support/screenshots';
import { expect, test } from './fixtures';
import { INBOX_URL, listPage, THREAD_URL, threadPage } from './inline-support';
import { expectNotSupportedDraft } from './not-supported-draft';

const GMAIL = 'robin.realdeploy@gmail.com';
const SENDER = 'sam.realdeploy';

/** The URL of the next document a new tab or window loads outside Gmail's replica and our pages. */
const nextNavigation = (context: BrowserContext, host: RegExp) =>
  context
    .waitForEvent('request', {
      predicate: (r) => r.resourceType() === 'document' && host.test(new URL(r.url()).hostname),
    })
    .then((r) => r.url());

async function simulate(url: string, body: Record<string, unknown>): Promise<MailboxEmail> {
  return (await control<{ email: MailboxEmail }>(url, 'simulate', { to_gmail: GMAIL, from_username: SENDER, ...body }))
    .email;
}

async function openThread(openGmail: (p: { url: string; html: string }) => Promise<Page>, email: MailboxEmail) {
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, email) });
  return { gmail, bar: gmail.locator('ttg-inline') };
}

test.beforeEach(async ({ sandbox }) => {
  await control(sandbox.url, 'profile', { profile: 'tiktok-like' });
});

test('Options → Service and the popup footer say what the service is: simulated TikTok, API 1.1, no Follow back, Ads approved in TikTok', async ({
  sandbox,
  openExtensionPage,
}) => {
  // The built-in sandbox, as installed: everything on.
  const options = await openExtensionPage('options.html');
  const about = options.getByTestId('service-about');
  await expect(about).toContainText('Follow back from Gmail: yes');
  await expect(about).toContainText('Approve Ads requests in the extension: yes');

  // Choosing the service at a URL reads what it can do.
  const prompt = await fakePermissionPrompt(options);
  const service = options.getByRole('region', { name: 'Service' });
  await service.getByRole('radio', { name: 'A service at a URL' }).check();
  await service.getByRole('textbox', { name: 'Service URL' }).fill(sandbox.url);
  await service.getByRole('button', { name: 'Use this service' }).click();
  expect(await prompt.requests()).toEqual([{ origins: [`${sandbox.url}/*`] }]);
  await expect(about).toContainText('TikTok: simulated (nothing reaches the real TikTok)');
  await expect(about).toContainText('API version: 1.1');
  await expect(about).toContainText('Follow back from Gmail: no');
  await expect(about).toContainText('Ads Manager authorizations: yes');
  await expect(about).toContainText('Approve Ads requests: in TikTok, with the invite link');
  await saveScreenshot(service, 'docs/screenshots/options-service-tiktok-like.png');

  const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(GMAIL)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  await expect(popup.getByTestId('service-line')).toHaveText(
    /· simulated TikTok · API 1\.1 · not here: Follow back, approving Ads \(done in TikTok\)$/,
  );
  await saveScreenshot(popup, 'docs/screenshots/popup-service-tiktok-like.png');

  // The service changes what it can do; Test connection reads it again.
  await control(sandbox.url, 'profile', { profile: 'simulated' });
  await service.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(/^Connected to /);
  await expect(about).toContainText('Follow back from Gmail: yes');
  await expect(about).toContainText('Approve Ads requests in the extension: yes');
  await popup.reload();
  await expect(popup.getByTestId('service-line')).toHaveText(/· simulated TikTok · API 1\.1$/);
});

test('Gmail: where TikTok cannot, the reason and its TikTok page replace Reply, comment reply and Follow back; the pages open', async ({
  context,
  sandbox,
  linkOnSandbox,
  openGmail,
  openExtensionPage,
}) => {
  const { page, link } = await linkOnSandbox(GMAIL);
  expect(link.capabilities).toMatchObject({ messages: false, comments: false, follow: false });
  const emails = {
    message: await simulate(sandbox.url, { type: 'message', text: 'Collab?' }),
    comment: await simulate(sandbox.url, { type: 'comment', text: 'Nice one', video_id: '7301234567890123499' }),
    follower: await simulate(sandbox.url, { type: 'follower' }),
  };

  // The list: each row's quick action is the TikTok page (the reason as its tooltip), never Reply or Follow back.
  const list = await openGmail({ url: INBOX_URL, html: listPage(GMAIL, Object.values(emails)) });
  const chipOf = (email: MailboxEmail) => list.locator('tr.zA').filter({ hasText: email.subject }).locator('ttg-chip');
  await expect(chipOf(emails.message).getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  await expect(chipOf(emails.message).getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'title',
    link.capabilities.reasons!.messages!,
  );
  // A row shows only the subject: the commenter's profile is the page its facts can build.
  await expect(chipOf(emails.comment).getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    `https://www.tiktok.com/@${SENDER}`,
  );
  await expect(chipOf(emails.follower).getByRole('link', { name: 'Open profile on TikTok' })).toHaveAttribute(
    'href',
    `https://www.tiktok.com/@${SENDER}`,
  );
  await expect(list.locator('ttg-chip').getByRole('button', { name: /^(Reply|Follow back)$/ })).toHaveCount(0);
  await saveScreenshot(list, 'docs/screenshots/gmail-list-not-available.png');

  // A direct message: no composer, TikTok's rule in words, and Open in TikTok (the messages page).
  const message = await openThread(openGmail, emails.message);
  const reason = message.bar.getByTestId('not-available');
  await expect(reason).toHaveText(link.capabilities.reasons!.messages!);
  await expect(reason).toContainText('Business Accounts');
  await expect(message.bar.getByRole('button', { name: 'Reply on TikTok' })).toHaveCount(0);
  const openMessages = nextNavigation(context, /tiktok\.com$/);
  await message.bar.getByRole('link', { name: 'Open in TikTok' }).click();
  expect(await openMessages).toBe('https://www.tiktok.com/messages');
  await saveScreenshot(message.gmail, 'docs/screenshots/gmail-message-not-available.png', { fullPage: true });

  // A comment: no reply composer; Open in TikTok opens the video.
  const comment = await openThread(openGmail, emails.comment);
  await expect(comment.bar.getByTestId('not-available')).toContainText('Business Accounts');
  await expect(comment.bar.getByRole('button', { name: 'Reply', exact: true })).toHaveCount(0);
  const openVideo = nextNavigation(context, /tiktok\.com$/);
  await comment.bar.getByRole('link', { name: 'Open in TikTok' }).click();
  expect(await openVideo).toBe(`https://www.tiktok.com/@${link.tiktok.username}/video/7301234567890123499`);
  await saveScreenshot(comment.gmail, 'docs/screenshots/gmail-comment-not-available.png', { fullPage: true });

  // A new follower: Open profile on TikTok instead of Follow back.
  const follower = await openThread(openGmail, emails.follower);
  await expect(follower.bar.getByTestId('not-available')).toHaveText(link.capabilities.reasons!.follow!);
  await expect(follower.bar.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  const openProfile = nextNavigation(context, /tiktok\.com$/);
  await follower.bar.getByRole('link', { name: 'Open profile on TikTok' }).click();
  expect(await openProfile).toBe(`https://www.tiktok.com/@${SENDER}`);
  await saveScreenshot(follower.gmail, 'docs/screenshots/gmail-follow-not-available.png', { fullPage: true });

  // The popup's linked account says the same: what works from Gmail and why the rest does not.
  const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(GMAIL)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  await expect(popup.locator('dl.facts')).toContainText('Follow backOn TikTok only');
  await expect(
    popup.locator('.why-not').filter({ hasText: 'direct messages only for Business Accounts' }),
  ).toBeVisible();
  await expect(popup.locator('.why-not').filter({ hasText: 'follow accounts' })).toBeVisible();
  await saveScreenshot(popup, 'docs/screenshots/popup-linked-tiktok-like.png');

  // Asked anyway (an older page, a race), the service answers not_supported with the reason and the profile page.
  const follow = await send(page, 'follow', { gmail: GMAIL, username: SENDER });
  expect(follow.ok).toBe(false);
  if (!follow.ok) {
    expect(follow.error.code).toBe('not_supported');
    expect(follow.error.details).toMatchObject({ fallback_url: `https://www.tiktok.com/@${SENDER}` });
  }
});

test('a reply the service cannot send (not_supported) is not retried: kept as a draft with the reason and Open in TikTok instead of Retry', async ({
  sandbox,
  linkOnSandbox,
  openExtensionPage,
}) => {
  // Linked while TikTok allowed messages; the deployment then cannot send them (the composer was already open).
  await control(sandbox.url, 'profile', { profile: 'simulated' });
  const { page } = await linkOnSandbox(GMAIL);
  await simulate(sandbox.url, { type: 'message', text: 'Are you around?' });
  const context = await send(page, 'conversationContext', { gmail: GMAIL, username: SENDER });
  const conversation_id = context.ok ? context.data.conversation!.conversation_id : '';
  await control(sandbox.url, 'profile', { profile: 'tiktok-like' });
  const target = { kind: 'message' as const, username: SENDER, conversation_id };
  expect(
    (
      await send(page, 'sendReply', {
        gmail: GMAIL,
        target,
        text: 'Yes, call me',
        client_key: 'real-deploy-not-supported',
      })
    ).ok,
  ).toBe(true);

  await expectNotSupportedDraft({
    page,
    openExtensionPage,
    gmail: GMAIL,
    text: 'Yes, call me',
    screenshot: 'docs/screenshots/popup-draft-not-supported.png',
  });
});

test('follower activity as counts (TikTok names no one): the badge and the popup activity strip say how many', async ({
  sandbox,
  linkOnSandbox,
  worker,
  openExtensionPage,
}) => {
  const { page } = await linkOnSandbox(GMAIL);
  await send(page, 'pollNow', {});
  await send(page, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });
  for (const from of ['fan.one.rd', 'fan.two.rd', 'fan.three.rd'])
    await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username: from });
  const polled = await send(page, 'pollNow', {});
  expect(polled.ok && polled.data.followers).toBe(3);
  const w = await worker();
  expect(
    await w.evaluate(() =>
      (
        globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
      ).chrome.action.getBadgeText({}),
    ),
  ).toBe('3');
  const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(GMAIL)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  const strip = popup.getByRole('region', { name: 'New on TikTok' });
  await expect(strip.getByRole('listitem').filter({ hasText: 'Followers' })).toContainText('3');
  await expect(strip.getByRole('button', { name: 'Open Followers in Gmail (3 new)' })).toBeVisible();
});

test('Ads by invite link: the advertiser copies or emails the link (Gmail compose of that account), waits for the owner; the owner approves in TikTok', async ({
  context,
  sandbox,
  linkOnSandbox,
  openExtensionPage,
  openGmail,
}) => {
  await linkOnSandbox(GMAIL);
  // A Gmail tab of this account (index 0) is open: the compose window is that account's.
  await openGmail({ url: THREAD_URL, html: threadPage(GMAIL, await simulate(sandbox.url, { type: 'live' })) });

  const ads = await openExtensionPage(`popup.html#ads?gmail=${encodeURIComponent(GMAIL)}`);
  await ads.setViewportSize({ width: 380, height: 600 });
  await ads.getByLabel('TikTok username', { exact: true }).fill('sam.eats');
  await ads.getByRole('button', { name: 'Send request' }).click();
  const invite = ads.locator('form.ads-request').getByTestId('ads-invite');
  await expect(invite).toContainText('Waiting for @sam.eats to open the link');
  const link = await invite.getByLabel('Invite link for @sam.eats').inputValue();
  expect(link).toMatch(/^https:\/\/ads\.tiktok\.com\//);

  await invite.getByRole('button', { name: 'Copy link' }).click();
  await expect(invite.getByRole('status')).toHaveText('Link copied');

  const compose = nextNavigation(context, /^mail\.google\.com$/);
  await invite.getByRole('button', { name: 'Email it from Gmail' }).click();
  const url = new URL(await compose);
  expect(url.pathname).toBe('/mail/u/0/');
  expect(url.searchParams.get('view')).toBe('cm');
  expect(url.searchParams.get('fs')).toBe('1');
  expect(url.searchParams.has('to')).toBe(false);
  expect(url.searchParams.get('su')).toBe('Rivera Coffee Co. asks to use your TikTok account in ads');
  expect(url.searchParams.get('body')).toContain(link);
  expect(url.searchParams.get('body')).toContain('@sam.eats');
  await expect(invite.getByRole('status')).toContainText("type @sam.eats's email address");
  await saveScreenshot(ads, 'docs/screenshots/popup-ads-invite-link.png');
  // The request's row in the list says the same and offers the same.
  await expect(ads.locator('li.ads-row[data-username="sam.eats"]').getByTestId('ads-invite')).toContainText(
    'Waiting for @sam.eats to open the link',
  );

  // The owner's side: the review page shows the request and Approve in TikTok (the invite link), no Approve here.
  const { event } = await control<{ event: { ref: { authorization_id: string } } }>(sandbox.url, 'simulate', {
    type: 'ads_request',
    to_gmail: GMAIL,
  });
  const id = event.ref.authorization_id;
  const review = await openExtensionPage(`review.html?id=${encodeURIComponent(id)}&gmail=${encodeURIComponent(GMAIL)}`);
  const card = review.locator(`article[data-authorization-id="${id}"]`);
  await expect(card.getByTestId('ads-review-in-tiktok')).toContainText('you decide in TikTok');
  await expect(card.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const approveLink = card.getByRole('link', { name: 'Approve in TikTok' });
  const inviteUrl = await approveLink.getAttribute('href');
  expect(inviteUrl).toMatch(/^https:\/\/ads\.tiktok\.com\/.*authorization_id=/);
  const opened = nextNavigation(context, /tiktok\.com$/);
  await approveLink.click();
  expect(await opened).toBe(inviteUrl);
  await saveScreenshot(review, 'docs/screenshots/review-approve-in-tiktok.png', { fullPage: true });

  // The owner approves in TikTok; the status arrives as today.
  await control(sandbox.url, `owner/${encodeURIComponent(id)}/approve`, { permissions: ['spark_ads'] });
  await review.reload();
  await expect(card.locator('.ads-badge')).toHaveText('Authorized');
  await expect(card.getByTestId('ads-review-in-tiktok')).toHaveCount(0);
});

/** A version 1.0 service: the sandbox behind a proxy that has no `GET /v1/service` (a plain 404 page). */
async function serviceV1(target: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/v1/service')) {
      res.writeHead(404, { 'content-type': 'text/html', 'access-control-allow-origin': '*' }).end('<h1>Not Found</h1>');
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = chunks.length ? Buffer.concat(chunks) : undefined;
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k)),
      ) as Record<string, string>;
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, body });
      res.writeHead(answer.status, Object.fromEntries(answer.headers)).end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('a 1.0 service (no GET /v1/service): everything on, as before — API 1.0 in Options and the popup, Follow back offered', async ({
  context,
  sandbox,
  worker,
  openExtensionPage,
  openGmail,
}) => {
  await control(sandbox.url, 'profile', { profile: 'simulated' });
  const v1 = await serviceV1(sandbox.url);
  try {
    await useSandboxService(await worker(), v1.url);
    const options = await openExtensionPage('options.html');
    await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: GMAIL });
    const about = options.getByTestId('service-about');
    await expect(about).toContainText('API version: 1.0');
    await expect(about).toContainText('Follow back from Gmail: yes');
    await expect(about).toContainText('Approve Ads requests in the extension: yes');
    const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(GMAIL)}`);
    await expect(popup.getByTestId('service-line')).toHaveText(/· API 1\.0$/);

    const { bar } = await openThread(openGmail, await simulate(sandbox.url, { type: 'follower' }));
    await expect(bar.getByRole('button', { name: 'Follow back' })).toBeVisible();
    await expect(bar.getByTestId('not-available')).toHaveCount(0);
  } finally {
    await v1.close();
  }
});
