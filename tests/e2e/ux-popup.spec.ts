/**
 * What a new user trips over in the popup (issue 12), each in real Chromium with the popup at its real size
 * (380 × 600): retyping a refused code, step 1's waits, one true sentence in the sandbox, plurals, one button per
 * way forward, Enter and Escape, a linked view that fits, a way from Ads to Link, non-Google addresses; and axe with
 * no violations on every step of the link flow, in light and dark.
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from '../support/axe';
import {
  answerEmbeddedSignIn,
  embeddedCode,
  inboxWithCode,
  linkAccount,
  sendMessage,
  waitForEmbeddedSignIn,
} from '../support/link';
import { extensionIdOf, launchWithExtension } from '../support/extension';
import { expectFitsPopup, openLinkPopup, openPopup } from '../support/popup';
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { expect, test } from './fixtures';

const ALEX = SEED_GMAIL;
const alert = (popup: Page) => popup.getByRole('alert');
const heading = (popup: Page, name: string) => popup.getByRole('heading', { name });
const digit = (popup: Page, n: number) => popup.getByLabel(`Digit ${n} of 6`);
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function toCodeStep(popup: Page): Promise<string> {
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  return embeddedCode(popup, await popup.getByLabel('Gmail account').inputValue());
}

test('bug 1: after a refused code the boxes are empty with the focus in the first; only six freshly typed digits are sent', async ({
  openExtensionPage,
}) => {
  const gmail = 'retype.code@gmail.com';
  const popup = await openLinkPopup(openExtensionPage, gmail);
  const code = await toCodeStep(popup);
  await expect(digit(popup, 1)).toBeFocused();
  await popup.keyboard.type(wrongCode(code), { delay: 20 });
  await expect(alert(popup)).toContainText('That code is not right. 4 attempts left.');
  for (let n = 1; n <= 6; n++) await expect(digit(popup, n)).toHaveValue('');
  await expect(digit(popup, 1)).toBeFocused();
  await expectAccessible(popup, 'code step after a wrong code');

  // The first new digit sends nothing: still 4 attempts left, and the next box has the focus.
  await popup.keyboard.type(code[0]!);
  await expect(digit(popup, 2)).toBeFocused();
  await expect(digit(popup, 1)).toHaveValue(code[0]!);
  await expect(alert(popup)).toContainText('4 attempts left.');
  await popup.keyboard.type(code.slice(1), { delay: 20 });
  await expect(heading(popup, '3. Sign in with TikTok')).toBeVisible();
  await expectAccessible(popup, 'sign-in step');
});

test('bug 1: while the address is locked, Resend is disabled as are the boxes', async ({
  context,
  extensionId,
  openExtensionPage,
}) => {
  const gmail = 'locked.out@gmail.com';
  const popup = await openLinkPopup(openExtensionPage, gmail);
  expect((await sendMessage(popup, 'linkStart', { gmail })).ok).toBe(true);
  const code = await embeddedCode(popup, gmail);
  for (let i = 1; i <= 5; i++)
    await sendMessage(popup, 'linkVerify', { gmail, code: wrongCode(String(Number(code) + i)) });
  await popup.close();
  // Two minutes later: the Resend countdown is long over, the 15-minute lock is not.
  const later = await context.newPage();
  await later.clock.install({ time: Date.now() + 2 * 60_000 });
  await later.setViewportSize({ width: 380, height: 600 });
  await later.goto(`chrome-extension://${extensionId}/popup.html#link?gmail=${encodeURIComponent(gmail)}`);
  await expect(alert(later)).toContainText('Too many wrong codes. You can try again in 13 min.');
  await expect(later.getByRole('button', { name: /^Resend/ })).toBeDisabled();
  await expect(digit(later, 1)).toBeDisabled();
  await expect(later.getByRole('button', { name: 'Verify' })).toBeDisabled();
  await expectAccessible(later, 'code step, locked');
});

test('bug 4: the Ads tab fits the 380 px popup (no sideways scrolling), and so does every Link step', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openLinkPopup(openExtensionPage, ALEX);
  await expectFitsPopup(popup, { height: true });
  await linkAccount({ context, page: popup, gmail: ALEX });
  await popup.getByRole('tab', { name: 'Ads' }).click();
  await expect(popup.getByTestId('ads-count')).toBeVisible();
  await expectFitsPopup(popup);
  const select = popup.getByLabel('Advertiser');
  const box = (await select.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(380);
  await expectAccessible(popup, 'Ads tab');
});

test('bug 7: step 1 after too many codes says only what it shows and Send code waits; Change address keeps the Resend countdown', async ({
  openExtensionPage,
}) => {
  const limited = 'many.codes@gmail.com';
  const popup = await openLinkPopup(openExtensionPage, limited);
  for (let i = 0; i < 5; i++) expect((await sendMessage(popup, 'linkStart', { gmail: limited })).ok).toBe(true);
  expect((await sendMessage(popup, 'linkStart', { gmail: limited })).ok).toBe(false); // the 6th in an hour
  await popup.reload();
  await popup.getByRole('button', { name: 'Change address' }).click();
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();
  await expect(alert(popup)).toContainText(
    /Too many codes were sent to this address in the last hour\. You can send a new one in \d+ min\./,
  );
  await expect(alert(popup)).not.toContainText(/Resend|code already sent/);
  await expect(popup.getByRole('button', { name: /^Send code in \d+ min$/ })).toBeDisabled();
  await expectAccessible(popup, 'step 1, limited');

  const fresh = 'change.address@gmail.com';
  await popup.getByLabel('Gmail account').fill(fresh);
  await toCodeStep(popup);
  await popup.getByRole('button', { name: 'Change address' }).click();
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();
  await expect(popup.getByRole('button', { name: /^Send code in \d+ s$/ })).toBeDisabled();
  // Even sent directly, the worker refuses a new code before the countdown ends.
  const again = await sendMessage(popup, 'linkStart', { gmail: fresh });
  expect(again.ok ? 'sent' : again.error.code).toBe('rate_limit_exceeded');
});

test('bug 8: the sandbox code step says one true thing about where the code is', async ({ openExtensionPage }) => {
  const popup = await openLinkPopup(openExtensionPage, 'sandbox.words@gmail.com');
  const code = await toCodeStep(popup);
  const step = popup.locator('.step');
  await expect(step).toContainText('No real email is sent in the sandbox: the code shows in its mailbox below.');
  await expect(step).not.toContainText('arrives in your open Gmail tab');
  await expect(step).not.toContainText('emailed');
  await expect(popup.getByText(`Sandbox mailbox: code ${code}.`)).toBeVisible();
  await expectAccessible(popup, 'code step (sandbox)');
});

test('bug 9: counts read right in both languages: "1 attempt left", "Queda 1 intento" (Ads: "1 account unlinked", see ads.spec)', async ({
  openExtensionPage,
}) => {
  const gmail = 'one.left@gmail.com';
  const popup = await openLinkPopup(openExtensionPage, gmail);
  const code = await toCodeStep(popup);
  for (let i = 1; i <= 3; i++)
    await sendMessage(popup, 'linkVerify', { gmail, code: wrongCode(String(Number(code) + i)) });
  await popup.reload();
  await digit(popup, 1).fill(wrongCode(code));
  await expect(alert(popup)).toContainText('That code is not right. 1 attempt left.');

  const spanish = await launchWithExtension({ locale: 'es' });
  try {
    const es = await spanish.newPage();
    await es.setViewportSize({ width: 380, height: 600 });
    await es.goto(
      `chrome-extension://${await extensionIdOf(spanish)}/popup.html#link?gmail=${encodeURIComponent(gmail)}`,
    );
    await es.getByRole('button', { name: 'Enviar código' }).click();
    const esCode = await embeddedCode(es, gmail);
    for (let i = 1; i <= 3; i++)
      await sendMessage(es, 'linkVerify', { gmail, code: wrongCode(String(Number(esCode) + i)) });
    await es.reload();
    await es.getByLabel('Dígito 1 de 6').fill(wrongCode(esCode));
    await expect(alert(es)).toContainText('Ese código no es correcto. Queda 1 intento.');
  } finally {
    await spanish.close();
  }
});

test('bug 10: a refused sign-in offers one Sign in button; the email mismatch names the account chosen', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openLinkPopup(openExtensionPage, ALEX);
  expect((await sendMessage(popup, 'linkStart', { gmail: ALEX })).ok).toBe(true);
  expect((await sendMessage(popup, 'linkVerify', { gmail: ALEX, code: await embeddedCode(popup, ALEX) })).ok).toBe(
    true,
  );
  await popup.reload();
  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await answerEmbeddedSignIn(context, null);
  await expect(alert(popup)).toContainText('You chose Deny on TikTok');
  await expect(popup.getByRole('button', { name: /Sign in/ })).toHaveCount(1);
  await expectAccessible(popup, 'sign-in step after Deny');

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await answerEmbeddedSignIn(context, 'alex.rivera.music');
  await expect(alert(popup)).toContainText(
    `You chose @alex.rivera.music, which is registered with another email, not ${ALEX}.`,
  );
  await expect(popup.getByRole('button', { name: /Sign in/ })).toHaveCount(1);
});

test('bug 11: Enter in the address field sends the code; Escape closes the sandbox sign-in window and nothing is linked', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openLinkPopup(openExtensionPage);
  await popup.getByLabel('Gmail account').fill('enter.key@gmail.com');
  await popup.getByLabel('Gmail account').press('Enter');
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  await popup.getByLabel('Digit 1 of 6').fill(await embeddedCode(popup, 'enter.key@gmail.com'));
  await expect(heading(popup, '3. Sign in with TikTok')).toBeVisible();

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  const signIn = await waitForEmbeddedSignIn(context);
  await expect(signIn.getByRole('button', { name: 'Allow' })).toBeVisible();
  await signIn.setViewportSize({ width: 480, height: 680 });
  await expectAccessible(signIn, 'sandbox sign-in window');
  await signIn.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(signIn, 'sandbox sign-in window (dark)');
  const closed = signIn.waitForEvent('close');
  await signIn.keyboard.press('Escape').catch((err: unknown) => {
    if (!/has been closed/.test(String(err))) throw err;
  });
  await closed;
  await expect(alert(popup)).toContainText('Sign-in was cancelled');
});

test('bug 12: the linked view fits in 600 px with help folded, says Check connection, and its result shows right under it', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openLinkPopup(openExtensionPage, ALEX);
  await linkAccount({ context, page: popup, gmail: ALEX });
  await popup.reload();
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();
  await expectFitsPopup(popup, { height: true });
  await expect(popup.getByRole('button', { name: 'Confirm link' })).toHaveCount(0);
  await expect(popup.locator('details.help-folded')).not.toHaveAttribute('open');
  await expect(popup.getByText('The code email did not arrive')).toBeHidden();
  await expectAccessible(popup, 'linked view');

  const check = popup.getByRole('button', { name: 'Check connection' });
  await check.click();
  const done = popup
    .getByRole('status')
    .filter({ hasText: 'Connection checked: the service confirms this link is active.' });
  await expect(done).toBeVisible();
  const [button, message] = [(await check.boundingBox())!, (await done.boundingBox())!];
  expect(message.y - (button.y + button.height)).toBeLessThan(40);
  await expectFitsPopup(popup, { height: true });
  await expectAccessible(popup, 'linked view, checked');

  await popup.emulateMedia({ colorScheme: 'dark' });
  await expectAccessible(popup, 'linked view (dark)');
});

test('bug 13: the Ads tab of a Gmail address that is not linked leads to the Link tab', async ({
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage, `ads?gmail=${encodeURIComponent('not.linked.yet@gmail.com')}`);
  await expect(popup.getByRole('alert')).toContainText('This Gmail address is not linked to TikTok');
  await expect(popup.getByRole('alert')).not.toContainText('from the popup');
  await expectAccessible(popup, 'Ads tab, not linked');
  await popup.getByRole('button', { name: 'Go to the Link tab' }).click();
  await expect(popup.getByRole('tab', { name: 'Link' })).toHaveAttribute('aria-selected', 'true');
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();
});

test('bug 18: a non-Google address is refused with why; another address than the open Gmail tab is warned about, not refused', async ({
  openExtensionPage,
  openGmail,
}) => {
  await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', html: inboxWithCode(ALEX, '000000') });
  const popup = await openLinkPopup(openExtensionPage);
  const address = popup.getByLabel('Gmail account');
  await expect(address).toHaveValue(ALEX);
  await expect(popup.locator('#gmail-warning')).toHaveCount(0);

  await address.fill('someone@outlook.com');
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(alert(popup)).toContainText('outlook.com addresses are not Google accounts');
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();

  await address.fill('sam@riveracoffee.example');
  const warning = popup.locator('#gmail-warning');
  await expect(warning).toContainText(`Your open Gmail tab is signed in as ${ALEX}.`);
  await expect(address).toHaveAttribute('aria-describedby', 'gmail-warning');
  await expectAccessible(popup, 'step 1 with the other-account warning');
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible(); // a Workspace address is accepted
  await warning.getByRole('button', { name: `Use ${ALEX}` }).click();
  await expect(address).toHaveValue(ALEX);
  await expect(warning).toHaveCount(0);
});

test('axe: every step of the link flow passes in light and dark, at the popup size', async ({ openExtensionPage }) => {
  const popup = await openLinkPopup(openExtensionPage, 'axe.check@gmail.com');
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    await expectFitsPopup(popup, { height: true });
    await expectAccessible(popup, `step 1 (${scheme})`);
  }
  await toCodeStep(popup);
  for (const scheme of ['light', 'dark'] as const) {
    await popup.emulateMedia({ colorScheme: scheme });
    await expectAccessible(popup, `step 2 (${scheme})`);
  }
  await popup.getByRole('tab', { name: 'Drafts' }).click();
  await expect(popup.getByRole('heading', { name: 'Replies that were not sent' })).toBeVisible();
  await expectAccessible(popup, 'Drafts tab (dark)');
});
