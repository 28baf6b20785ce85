/**
 * The extension adapted to the real server (server/, PGlite) with the TikTok API emulator behind it — issue 16's
 * real-deploy checks on the real adapter instead of the sandbox's `tiktok-like` profile:
 * - a Business sign-in with the operator's Business Center: Follow back → Open profile on TikTok (the page opened),
 *   new followers as a count read from TikTok, and Ads by invite link on both sides (Send request → Copy link /
 *   Email it from Gmail; the owner's review page says the decision is in TikTok and offers Approve in TikTok; the
 *   decision read back from the Business Center arrives as the status);
 * - a Login Kit sign-in and no Business Center: the composer replaced by TikTok's reason and Open in TikTok, a reply
 *   the server refuses (`not_supported`) kept as a draft with the reason and its TikTok page, never retried, and the
 *   Ads tab saying why there are no Ads.
 * Screenshots of each adapted state go to docs/screenshots only with TTG_SCREENSHOTS=1.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { MailboxEmail } from '@/utils/sandbox';
import { followerEmail, messageEmail } from '../../utils/sandbox/emails';
import type { Email } from '../../utils/service/ports';
import { sendMessage as send } from '../support/link';
import { useSandboxService } from '../support/sandbox';
import { saveScreenshot } from '../support/screenshots';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator, type TikTokEmulator } from '../support/tiktok-emulator';
import { businessCenterEnv, emulatorEnv } from '../server/harness';
import { expect, test } from './fixtures';
import { THREAD_URL, threadPage } from './inline-support';
import { expectNotSupportedDraft } from './not-supported-draft';

const ANA = 'ana.server@gmail.com'; // a Business Center admin, signed in with her Business account @ana.brand
const LEE = 'lee.server@gmail.com'; // signed in with Login Kit on a server without a Business Center
const FAN = 'fan.server';

let tiktok: TikTokEmulator;
let smtp: SmtpSink;
const servers: { business?: RunningServer; loginKit?: RunningServer } = {};
const dirs: string[] = [];

async function serverWith(env: Record<string, string>): Promise<RunningServer> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ttg-e2e-adapted-'));
  dirs.push(dataDir);
  return startServer(loadConfig({ ...emulatorEnv(tiktok, smtp), PORT: '0', DATA_DIR: dataDir, ...env }), {
    log: () => undefined,
  });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  tiktok = await startTikTokEmulator();
  smtp = await startSmtpSink();
  servers.business = await serverWith({ ...businessCenterEnv(tiktok, ANA), TIKTOK_STATS_POLL_S: '1' });
  servers.loginKit = await serverWith({ TIKTOK_SIGNIN: 'login_kit' });
  tiktok.webhookUrl = `${servers.business.url}/webhooks/tiktok`;
  tiktok.addAccount({ username: 'ana.brand', display_name: 'Ana Brand', followers_count: 500 });
  tiktok.addAccount({ username: 'lee.personal', display_name: 'Lee', account_type: 'personal' });
});
test.afterAll(async () => {
  await Promise.all([servers.business?.close(), servers.loginKit?.close()]);
  await Promise.all([tiktok?.stop(), smtp?.stop()]);
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Links `gmail` to @username on `server` by the extension's own messages: the code from the SMTP sink, TikTok's sign-in page (the emulator's). */
async function linkOnServer(context: BrowserContext, page: Page, gmail: string, username: string) {
  const must = <T>(
    r: { ok: true; data: T } | { ok: false; error: { code: string; message: string } },
    step: string,
  ): T => {
    if (!r.ok) throw new Error(`${step} failed: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  must(await send(page, 'linkStart', { gmail }), 'linkStart');
  const mail = await smtp.waitFor((m) => m.to.includes(gmail) && /is your verification code/.test(m.subject));
  must(await send(page, 'linkVerify', { gmail, code: mail.subject.slice(0, 6) }), 'linkVerify');
  const signedIn = send(page, 'linkSignIn', { gmail });
  const isAuth = (p: Page) => p.url().startsWith(tiktok.authUrl);
  const signIn =
    context.pages().find(isAuth) ?? (await context.waitForEvent('page', { predicate: isAuth, timeout: 15_000 }));
  await signIn.getByRole('button', { name: `Continue as @${username}` }).click();
  const flow = must(await signedIn, 'linkSignIn');
  return flow.link!;
}

let mailSeq = 0;
/** TikTok's own notification email as it sits in Gmail (TikTok sends these, not our server). */
const inGmail = (email: Email): MailboxEmail =>
  ({ ...email, id: `adapted-${++mailSeq}`, sent_at: new Date().toISOString() }) as MailboxEmail;

/** The URL of the next document a tab loads on `host` (TikTok's pages, Gmail's compose): the request is enough. */
const nextNavigation = (context: BrowserContext, host: RegExp) =>
  context
    .waitForEvent('request', {
      predicate: (r) => r.resourceType() === 'document' && host.test(new URL(r.url()).hostname),
    })
    .then((r) => r.url());

test('Business sign-in with a Business Center: Open profile instead of Follow back, new followers as a count, Ads by invite link on both sides', async ({
  context,
  worker,
  openExtensionPage,
  openGmail,
}) => {
  test.setTimeout(150_000);
  const server = servers.business!;
  await useSandboxService(await worker(), server.url);
  const options = await openExtensionPage('options.html');
  const link = await linkOnServer(context, options, ANA, 'ana.brand');
  expect(link.capabilities).toMatchObject({ messages: true, comments: true, follow: false });
  const about = options.getByTestId('service-about');
  await options.reload();
  await expect(about).toContainText('TikTok: the real TikTok');
  await expect(about).toContainText('Follow back from Gmail: no');
  await expect(about).toContainText('Approve Ads requests: in TikTok, with the invite link');

  // Follow back: the reason and Open profile on TikTok, which opens the profile; nothing asked of TikTok.
  const gmail = await openGmail({
    url: THREAD_URL,
    html: threadPage(
      ANA,
      inGmail(followerEmail({ to: ANA, owner: 'ana.brand', from: { username: FAN, display_name: 'Fan' } })),
    ),
  });
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByTestId('not-available')).toHaveText(link.capabilities.reasons!.follow!);
  await expect(bar.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  const profile = nextNavigation(context, /tiktok\.com$/);
  await bar.getByRole('link', { name: 'Open profile on TikTok' }).click();
  expect(await profile).toBe(`https://www.tiktok.com/@${FAN}`);
  expect(tiktok.calls.some((c) => /\/follow/.test(c.path))).toBe(false);
  await saveScreenshot(gmail, 'docs/screenshots/server-follow-not-available.png', { fullPage: true });

  // New followers as a count: TikTok names no one; the server reads the count and the extension says how many.
  await send(options, 'pollNow', {});
  await send(options, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });
  const readings = () => tiktok.calls.filter((c) => c.path.startsWith('/open_api/v1.3/business/get/')).length;
  const before = readings();
  await expect.poll(readings, { timeout: 10_000 }).toBeGreaterThan(before + 1); // the baseline is in
  tiktok.byUsername('ana.brand').followers_count += 3;
  await expect
    .poll(
      async () => {
        const r = await send(options, 'pollNow', {});
        return r.ok ? r.data.followers : -1;
      },
      { timeout: 15_000 },
    )
    .toBe(3);
  const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(ANA)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  const strip = popup.getByRole('region', { name: 'New on TikTok' });
  await expect(strip.getByRole('button', { name: 'Open Followers in Gmail (3 new)' })).toBeVisible();
  await expect(popup.getByTestId('service-line')).toHaveText(
    /· real TikTok · API 1\.1 · not here: Follow back, approving Ads \(done in TikTok\)$/,
  );
  await saveScreenshot(popup, 'docs/screenshots/server-popup-follower-count.png');

  // Ads, the advertiser: the request carries the Business Center's invite link, to copy or email from Gmail.
  await popup.getByRole('tab', { name: 'Ads' }).click();
  await expect(popup.getByTestId('ads-role')).toContainText('Ana Brand Studio');
  await popup.getByLabel('TikTok username', { exact: true }).fill('ana.brand');
  await popup.getByRole('button', { name: 'Send request' }).click();
  const invite = popup.locator('form.ads-request').getByTestId('ads-invite');
  await expect(invite).toContainText('Waiting for @ana.brand to open the link');
  expect(await invite.getByLabel('Invite link for @ana.brand').inputValue()).toBe(tiktok.bc.inviteUrl);
  await invite.getByRole('button', { name: 'Copy link' }).click();
  await expect(invite.getByRole('status')).toHaveText('Link copied');
  const compose = nextNavigation(context, /^mail\.google\.com$/);
  await invite.getByRole('button', { name: 'Email it from Gmail' }).click();
  const composed = new URL(await compose);
  expect(composed.searchParams.get('view')).toBe('cm');
  expect(composed.searchParams.get('su')).toBe('Ana Brand Studio asks to use your TikTok account in ads');
  expect(composed.searchParams.get('body')).toContain(tiktok.bc.inviteUrl);
  await saveScreenshot(popup, 'docs/screenshots/server-ads-invite-link.png');

  // Ads, the owner (@ana.brand is linked here too): the review page says the decision is in TikTok.
  const requests = await send(options, 'adsRequests', { gmail: ANA });
  const id = requests.ok ? requests.data[0]!.authorization_id : '';
  const review = await openExtensionPage(`review.html?id=${encodeURIComponent(id)}&gmail=${encodeURIComponent(ANA)}`);
  await expect(review.getByTestId('ads-review-intro')).toContainText('until you approve it in TikTok');
  const card = review.locator(`article[data-authorization-id="${id}"]`);
  await expect(card.getByTestId('ads-review-in-tiktok')).toContainText('you decide in TikTok');
  await expect(card.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  const approve = card.getByRole('link', { name: 'Approve in TikTok' });
  await expect(approve).toHaveAttribute('href', tiktok.bc.inviteUrl);
  const opened = nextNavigation(context, /tiktok\.com$/);
  await approve.click();
  expect(await opened).toBe(tiktok.bc.inviteUrl);
  await saveScreenshot(review, 'docs/screenshots/server-review-approve-in-tiktok.png', { fullPage: true });

  // The owner approves in TikTok; the Business Center says BOUND; the status arrives on both sides.
  tiktok.bcDecide('ana.brand', 'BOUND');
  await expect(popup.locator('li.ads-row[data-username="ana.brand"]')).toContainText('Authorized', { timeout: 15_000 });
  await review.reload();
  await expect(card.locator('.ads-badge')).toHaveText('Authorized');
});

test('Login Kit sign-in without a Business Center: the reason replaces the composer, a refused reply is a draft with its TikTok page, and the Ads tab says why', async ({
  context,
  worker,
  openExtensionPage,
  openGmail,
}) => {
  test.setTimeout(120_000);
  await useSandboxService(await worker(), servers.loginKit!.url);
  const options = await openExtensionPage('options.html');
  const link = await linkOnServer(context, options, LEE, 'lee.personal');
  expect(link.capabilities).toMatchObject({ messages: false, comments: false, follow: false });

  // A DM's email: no composer, TikTok's rule in words, and Open in TikTok (the messages page).
  const email = inGmail(
    messageEmail({ to: LEE, owner: 'lee.personal', from: { username: FAN, display_name: 'Fan' } }, 'Collab?'),
  );
  const gmail = await openGmail({ url: THREAD_URL, html: threadPage(LEE, email) });
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByTestId('not-available')).toHaveText(link.capabilities.reasons!.messages!);
  await expect(bar.getByTestId('not-available')).toContainText('Business Accounts');
  await expect(bar.getByRole('button', { name: 'Reply on TikTok' })).toHaveCount(0);
  const messages = nextNavigation(context, /tiktok\.com$/);
  await bar.getByRole('link', { name: 'Open in TikTok' }).click();
  expect(await messages).toBe('https://www.tiktok.com/messages');
  await saveScreenshot(gmail, 'docs/screenshots/server-message-not-available.png', { fullPage: true });

  // A reply sent anyway (a composer opened before): the server answers not_supported; kept as a draft, not retried.
  const target = { kind: 'message' as const, username: FAN, conversation_id: 'conv-from-an-older-page' };
  expect(
    (
      await send(options, 'sendReply', {
        gmail: LEE,
        target,
        text: 'See you there',
        client_key: 'adapted-not-supported',
      })
    ).ok,
  ).toBe(true);
  await expectNotSupportedDraft({
    page: options,
    openExtensionPage,
    gmail: LEE,
    text: 'See you there',
    screenshot: 'docs/screenshots/server-draft-not-supported.png',
  });

  // No Business Center: the footer says there are no Ads here, and the Ads tab says why instead of an empty form.
  const popup = await openExtensionPage(`popup.html#ads?gmail=${encodeURIComponent(LEE)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  await expect(popup.getByTestId('service-line')).toHaveText(/not here: Follow back, Ads/);
  await expect(popup.getByRole('alert')).toContainText('not connected to a TikTok Business Center');
  await expect(popup.getByRole('button', { name: 'Send request' })).toHaveCount(0);
  await saveScreenshot(popup, 'docs/screenshots/server-ads-not-available.png');
});
