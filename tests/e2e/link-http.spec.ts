/**
 * The link flow against the loopback HTTP sandbox, i.e. the path a real service takes: the code emailed to Gmail is
 * filled in from the Gmail tab, and "Sign in with TikTok" runs `identity.launchWebAuthFlow` on the service's own
 * authorize page.
 */
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { approveSignIn, inboxWithCode, latestCode, pointAtSandbox } from '../support/link';
import { expect, test } from './fixtures';

let server: SandboxServer;
test.beforeEach(async () => {
  server = await startSandboxServer();
});
test.afterEach(async () => {
  await server.close();
});

test('HTTP service: code from Gmail, TikTok sign-in in the browser auth window (denied, then allowed)', async ({ context, worker, openExtensionPage, openGmail }) => {
  await pointAtSandbox(await worker(), server.url);
  const popup = await openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(SEED_GMAIL)}`);
  await expect(popup.getByText('Service: service')).toBeVisible();
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(popup.getByRole('heading', { name: '2. Enter the code' })).toBeVisible();
  await expect(popup.getByText('Sandbox:')).toHaveCount(0); // a real service emails the code: no sandbox note

  await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', html: inboxWithCode(SEED_GMAIL, await latestCode(server.url, SEED_GMAIL)) });
  await popup.bringToFront();
  await expect(popup.getByRole('heading', { name: '3. Sign in with TikTok' })).toBeVisible();

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await approveSignIn(context, server.url, null);
  await expect(popup.getByRole('alert')).toContainText('You chose Deny on TikTok');

  await popup.getByRole('button', { name: 'Sign in again' }).click();
  await approveSignIn(context, server.url, 'riveracreates');
  await expect(popup.getByRole('heading', { name: 'Linked TikTok account' })).toBeVisible();
  await expect(popup.getByText('@riveracreates', { exact: true })).toBeVisible();
  await expect(popup.getByText('Business account')).toBeVisible();
});
