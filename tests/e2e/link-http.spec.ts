/**
 * The whole link flow against the loopback HTTP sandbox (the path a real service takes) and the live Gmail replica
 * fed by its mailbox: the user types only the address. Send code → the sandbox's verification email arrives in the
 * replica → the content script marks the row and reports the code → the popup offers it, one click verifies it →
 * "Sign in with TikTok" through the real `identity.launchWebAuthFlow` on the sandbox's consent page (denied once,
 * then allowed) → linked → Check connection. A second Gmail account (/mail/u/1, another address) links the same way and
 * keeps its link when the first is unlinked (with its confirmation; the sandbox shows the grant revoked).
 */
import type { BrowserContext, Page } from '@playwright/test';
import type { Link } from '@/utils/api/schemas';
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { openReplica } from '../support/gmail-replica';
import { control, latestCode, useSandboxService } from '../support/sandbox';
import { accountOf, approveSignIn } from '../support/link';
import { openPopup } from '../support/popup';
import { expect, test } from './fixtures';

const ALEX = SEED_GMAIL; // seeded: signs in as alex.rivera or riveracreates
const JAMIE = 'jamie.replica@gmail.com'; // a new address: the sandbox creates its TikTok account on demand

let server: SandboxServer;
test.beforeEach(async () => {
  server = await startSandboxServer();
});
test.afterEach(async () => {
  await server.close();
});

/** The links the simulated TikTok holds (`/sandbox/inspect`). */
const inspectLinks = async () => (await control<{ links: Pick<Link, 'gmail' | 'status' | 'tiktok'>[] }>(server.url, 'inspect')).links;
const heading = (popup: Page, name: string) => popup.getByRole('heading', { name });

/**
 * In the popup, the user types `gmail` and clicks Send code; the code email must then show up in the `replica` as a
 * recognised code row offering Copy code, and the popup must offer it; one click uses it and reaches step 3.
 */
async function sendCodeAndTakeItFromGmail(popup: Page, replica: Page, gmail: string): Promise<void> {
  await popup.getByLabel('Gmail account').fill(gmail);
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  await expect(popup.getByText('Sandbox:')).toHaveCount(0); // a real service emails the code: no sandbox note

  const code = await latestCode(server.url, gmail);
  const row = replica.locator('tr.zA', { hasText: `${code} is your verification code` });
  await expect(row).toHaveAttribute('data-ttg-kind', 'code');
  await expect(row.getByRole('button', { name: `Copy code ${code}` })).toBeVisible();

  await popup.bringToFront();
  await popup.getByRole('button', { name: `Use ${code}` }).click();
  await expect(heading(popup, '3. Sign in with TikTok')).toBeVisible();
  await expect(popup.getByRole('status')).toContainText('The code from your Gmail tab was accepted');
}

/** Clicks `button` in the popup and answers the TikTok sign-in window: Allow as `username` (undefined: the account of that Gmail), or Deny (null). */
async function signIn(context: BrowserContext, popup: Page, button: string, username: string | null | undefined): Promise<void> {
  await popup.getByRole('button', { name: button }).click();
  await approveSignIn(context, server.url, username === undefined ? await accountOf(context, server.url) : username);
  await popup.bringToFront();
}

test('HTTP service + Gmail replica: code from Gmail with one click, sign-in denied then allowed, confirm, second account, unlink', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  await useSandboxService(await worker(), server.url);
  const alexGmail = await openReplica(context, { sandboxUrl: server.url, gmail: ALEX, accountIndex: 0 });
  const popup = await openPopup(openExtensionPage);
  await expect(popup.getByText('Service: the server set in Options.')).toBeVisible();

  await sendCodeAndTakeItFromGmail(popup, alexGmail, ALEX);
  // Opened in Gmail, the code email offers "Use code to link" (the inline way to the same flow).
  await alexGmail.locator('tr.zA[data-ttg-kind="code"]').click();
  await expect(alexGmail.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'code');
  await expect(alexGmail.getByRole('button', { name: 'Use code to link' })).toBeVisible();
  await popup.bringToFront();

  await signIn(context, popup, 'Sign in with TikTok', null);
  await expect(popup.getByRole('alert')).toContainText('You chose Deny on TikTok');
  expect((await inspectLinks()).filter((l) => l.gmail === ALEX)).toEqual([]); // a denied sign-in links nothing
  await signIn(context, popup, 'Sign in with TikTok', 'riveracreates');
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();
  await expect(popup.getByText('@riveracreates', { exact: true })).toBeVisible();
  await expect(popup.getByText('Business account')).toBeVisible();
  await expect(popup.locator('dd').first()).toHaveText(ALEX);

  await popup.getByRole('button', { name: 'Check connection' }).click();
  await expect(popup.getByRole('status')).toContainText('the service confirms this link is active');

  // A second Gmail account in the same browser (/mail/u/1) links through its own replica tab.
  const jamieGmail = await openReplica(context, { sandboxUrl: server.url, gmail: JAMIE, accountIndex: 1 });
  await popup.reload();
  await sendCodeAndTakeItFromGmail(popup, jamieGmail, JAMIE);
  await signIn(context, popup, 'Sign in with TikTok', undefined);
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();
  await expect(popup.locator('dd').first()).toHaveText(JAMIE);
  const jamieUser = (await inspectLinks()).find((l) => l.gmail === JAMIE)!.tiktok.username;
  await expect(popup.getByText(`@${jamieUser}`, { exact: true })).toBeVisible();

  // Unlink the first account, after its confirmation; the second keeps its link.
  await popup.getByLabel('Gmail account').fill(ALEX);
  await expect(popup.getByText('@riveracreates', { exact: true })).toBeVisible();
  await popup.getByRole('button', { name: 'Unlink…' }).click();
  await expect(popup.getByText(/Unlinking @riveracreates revokes the extension's access on TikTok/)).toBeVisible();
  await popup.getByRole('button', { name: 'Unlink now' }).click();
  await expect(popup.getByRole('status')).toContainText(`${ALEX} is no longer linked to TikTok`);
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();

  const links = await inspectLinks();
  expect(links.find((l) => l.tiktok.username === 'riveracreates')?.status).toBe('revoked');
  expect(links.find((l) => l.gmail === JAMIE)?.status).toBe('active');
  await popup.getByLabel('Gmail account').fill(JAMIE);
  await expect(popup.getByText(`@${jamieUser}`, { exact: true })).toBeVisible();
});
