/**
 * The extension on the real server (server/, on PGlite) with the TikTok API emulator behind it and the code email
 * going out over SMTP into a sink that feeds the Gmail replica: the user links through the code email (the content
 * script reads it, the popup offers it, one click uses it) and TikTok's sign-in through the server's callback; a DM arrives by a signed
 * webhook and is answered from its notification email; a comment too; a new follower's email offers the profile
 * to open, with the reason, instead of Follow back (TikTok has no follow API).
 * TikTok's own notification emails reach Gmail without our server, so the test puts them in the inbox itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { startServer, type RunningServer } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Email } from '../../utils/service/ports';
import { commentEmail, followerEmail, messageEmail } from '../../utils/sandbox/emails';
import { openReplica } from '../support/gmail-replica';
import { useSandboxService } from '../support/sandbox';
import { startInbox, startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator, type TikTokEmulator } from '../support/tiktok-emulator';
import { emulatorEnv } from '../server/harness';
import { expect, test } from './fixtures';
import { composerFrame } from './inline-support';

const GMAIL = 'alex.server@gmail.com';
const ME = 'maya.creates';

let tiktok: TikTokEmulator;
let smtp: SmtpSink;
let inbox: Awaited<ReturnType<typeof startInbox>>;
let server: RunningServer;
let dataDir: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  tiktok = await startTikTokEmulator();
  smtp = await startSmtpSink();
  inbox = await startInbox(smtp);
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ttg-e2e-server-'));
  server = await startServer(loadConfig({ ...emulatorEnv(tiktok, smtp), PORT: '0', DATA_DIR: dataDir }), {
    log: () => undefined,
  });
  tiktok.webhookUrl = `${server.url}/webhooks/tiktok`;
  tiktok.addAccount({ username: ME, display_name: 'Maya Creates' });
});
test.afterAll(async () => {
  await server?.close();
  await Promise.all([tiktok?.stop(), smtp?.stop(), inbox?.stop()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

let mailSeq = 0;
/** TikTok's own notification email, as it lands in the user's Gmail. */
const notify = (email: Email) =>
  inbox.extra.push({ ...email, id: `tiktok-${++mailSeq}`, sent_at: new Date().toISOString() });
const row = (gmail: Page, text: string): Locator => gmail.locator('tr.zA').filter({ hasText: text });

test('linked through the code email and the server, the extension replies to a webhook DM and a comment, and a follower email offers the profile instead of Follow back', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  test.setTimeout(180_000);
  await useSandboxService(await worker(), server.url);
  const gmail = await openReplica(context, { sandboxUrl: inbox.url, gmail: GMAIL, layout: 'inbox' });
  const popup = await openExtensionPage('popup.html');
  await popup.setViewportSize({ width: 380, height: 600 });

  // 1. The code: emailed by the server over SMTP, shown in Gmail, recognised there, offered by the popup, one click.
  await popup.getByLabel('Gmail account').fill(GMAIL);
  await popup.getByRole('button', { name: 'Send code' }).click();
  const mail = await smtp.waitFor((m) => m.to.includes(GMAIL));
  const code = /^(\d{6}) is your verification code$/.exec(mail.subject)![1]!;
  const codeRow = row(gmail, `${code} is your verification code`);
  await expect(codeRow).toHaveAttribute('data-ttg-kind', 'code', { timeout: 20_000 });
  await codeRow.locator('.bA4').click();
  await expect(gmail.getByRole('button', { name: 'Use code to link' })).toBeVisible();
  await popup.bringToFront();
  await popup.getByRole('button', { name: `Use ${code}` }).click();
  await expect(popup.getByRole('heading', { name: '3. Sign in with TikTok' })).toBeVisible();

  // 2. TikTok's sign-in (the emulator's page) → the server's callback → back to the extension, without the code.
  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  const isAuth = (p: Page) => p.url().startsWith(tiktok.authUrl);
  const signIn =
    context.pages().find(isAuth) ?? (await context.waitForEvent('page', { predicate: isAuth, timeout: 15_000 }));
  await signIn.getByRole('button', { name: `Continue as @${ME}` }).click();
  await popup.bringToFront();
  await expect(popup.getByRole('heading', { name: 'Linked TikTok account' })).toBeVisible({ timeout: 20_000 });
  await expect(popup.getByText(`@${ME}`, { exact: true })).toBeVisible();
  const maya = tiktok.byUsername(ME);

  // 3. A DM arrives by webhook; its notification email offers Reply; the reply reaches TikTok once.
  const dm = tiktok.incomingMessage(maya, { username: 'jordan.k', display_name: 'Jordan K' }, 'Can I use your sound?');
  expect(await tiktok.deliver(dm.webhook, { times: 2 })).toEqual([200, 200]);
  notify(
    messageEmail(
      { to: GMAIL, owner: ME, from: { username: 'jordan.k', display_name: 'Jordan K' } },
      'Can I use your sound?',
    ),
  );
  await gmail.bringToFront();
  await gmail.evaluate(() => (location.hash = '#inbox'));
  await gmail.reload(); // back in Gmail after linking (headless tabs get no visibilitychange)
  const reply = row(gmail, '@jordan.k').locator('ttg-chip').getByRole('button', { name: 'Reply', exact: true });
  await expect(reply).toBeVisible({ timeout: 20_000 });
  await reply.click();
  const bar = composerFrame(gmail);
  await expect(bar.getByRole('list', { name: 'Recent messages' })).toContainText('Can I use your sound?');
  const box = bar.getByRole('textbox', { name: 'Reply to @jordan.k' });
  await box.fill('Yes, go ahead!');
  await box.press('Enter');
  await expect(bar.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');
  expect(tiktok.sentMessages(maya.open_id).map((m) => m.text)).toEqual(['Yes, go ahead!']);

  // 4. A comment arrives by webhook; Reply from its email posts once under it.
  const VIDEO = '7300000000000000001';
  const c = tiktok.incomingComment(maya, { username: 'fan.4ever', display_name: 'Fan' }, 'Where is this place?', VIDEO);
  await tiktok.deliver(c.webhook);
  notify(
    commentEmail(
      { to: GMAIL, owner: ME, from: { username: 'fan.4ever', display_name: 'Fan' } },
      'Where is this place?',
      VIDEO,
      false,
    ),
  );
  await gmail.evaluate(() => (location.hash = '#inbox'));
  const commentRow = row(gmail, '@fan.4ever');
  await expect(commentRow).toHaveAttribute('data-ttg-kind', 'comment', { timeout: 20_000 });
  await commentRow.locator('.bA4').click();
  await gmail.locator('ttg-inline').getByRole('button', { name: 'Reply', exact: true }).click();
  const cbar = composerFrame(gmail);
  await expect(cbar.getByRole('list', { name: 'The comment you are replying to' })).toContainText(
    'Where is this place?',
  );
  await cbar.getByRole('textbox', { name: 'Reply to @fan.4ever' }).fill('Lisbon!');
  await cbar.getByRole('button', { name: 'Send' }).click();
  await expect(cbar.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');
  expect(tiktok.replies(c.comment.comment_id).map((r) => r.text)).toEqual(['Lisbon!']);

  // 5. Follow back: TikTok has no follow API; the Link says so (capabilities.follow false, with the server's reason),
  // and the email offers the profile to open instead of a button that could only fail.
  notify(followerEmail({ to: GMAIL, owner: ME, from: { username: 'ana.follows', display_name: 'Ana' } }));
  await gmail.evaluate(() => (location.hash = '#inbox'));
  const followRow = row(gmail, '@ana.follows');
  await expect(followRow).toHaveAttribute('data-ttg-kind', 'follower', { timeout: 20_000 });
  await followRow.locator('.bA4').click();
  const fbar = gmail.locator('ttg-inline');
  await expect(fbar.getByTestId('not-available')).toContainText(/open the profile/i);
  await expect(fbar.getByRole('link', { name: 'Open profile on TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/@ana.follows',
  );
  await expect(fbar.getByRole('button', { name: 'Follow back' })).toHaveCount(0);
  expect(tiktok.calls.some((c) => /\/follow/.test(c.path))).toBe(false); // nothing was asked of TikTok
});
