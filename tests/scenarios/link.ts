/**
 * The popup's whole link flow against the loopback sandbox (the path a real service takes) and the live Gmail replica,
 * run in Chromium (tests/e2e/link-http.spec.ts) and Firefox, with the popup opened as an extension page at popup size:
 * the user types only the address. Send code → the sandbox's verification email arrives in the replica → the content
 * script marks the row and reports the code → the popup offers it, one click verifies it → "Sign in with TikTok"
 * through the browser's real `identity.launchWebAuthFlow` and its redirect URL (chromiumapp.org in Chromium,
 * extensions.allizom.org in Firefox) on the sandbox's consent page (denied once, then allowed) → linked → Check connection.
 * A second Gmail account (/mail/u/1, another address) links the same way and keeps its link when the first is
 * unlinked (with its confirmation; the sandbox shows the grant revoked).
 */
import { expect } from '@playwright/test';
import type { Link } from '@/utils/api/schemas';
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { accountOf, approveSignIn, embeddedCode, inboxWithCode } from '../support/link';
import { control, latestCode, useSandboxService } from '../support/sandbox';
import { POPUP } from '../support/popup';
import { saveTabScreenshot, type Driver, type Tab } from './driver';
import { button, eventually, exactText, extensionOf, heading, openFixture, openReplica, pageText } from './support';

const ALEX = SEED_GMAIL; // seeded: signs in as alex.rivera or riveracreates
const JAMIE = 'jamie.replica@gmail.com'; // a new address: the sandbox creates its TikTok account on demand

export interface LinkShots {
  popup: string;
  gmail: string;
}

export async function linkThroughPopup(d: Driver, sandboxUrl: string, shots?: LinkShots): Promise<void> {
  const inspectLinks = async () =>
    (await control<{ links: Pick<Link, 'gmail' | 'status' | 'tiktok'>[] }>(sandboxUrl, 'inspect')).links;

  /** Types `gmail`, clicks Send code; the code email must show in `replica` as a code row with Copy code, and the popup offer it; one click uses it. */
  const sendCodeAndTakeItFromGmail = async (popup: Tab, replica: Tab, gmail: string) => {
    await popup.fill('#gmail', gmail);
    await popup.click(button('Send code'));
    await popup.text(heading('2. Enter the code'));
    expect(await popup.visible({ css: 'body', text: 'Sandbox:' })).toBe(false); // a real service emails the code: no sandbox note

    const code = await latestCode(sandboxUrl, gmail);
    const row = { css: 'tr.zA', text: `${code} is your verification code` };
    await eventually(
      () =>
        replica.evaluate(
          (c) =>
            [...document.querySelectorAll('tr.zA')]
              .find((r) => r.textContent?.includes(c))
              ?.getAttribute('data-ttg-kind') ?? null,
          code,
        ),
      'code',
    );
    await replica.text([row, `button[aria-label="Copy code ${code}"]`]);

    // The popup offers the code; one click uses it (never by itself: a Gmail page could show forged code rows).
    await popup.bringToFront();
    await popup.click(button(`Use ${code}`));
    await popup.text(heading('3. Sign in with TikTok'));
    await popup.text({ css: '[role="status"]', text: 'The code from your Gmail tab was accepted' });
  };

  /** Clicks `name` in the popup and answers the sign-in window: Allow as `username` (undefined: that Gmail's account), or Deny (null). */
  const signIn = async (popup: Tab, name: string, username: string | null | undefined) => {
    await popup.click(button(name));
    await approveSignIn(d, sandboxUrl, username === undefined ? await accountOf(d, sandboxUrl) : username);
    await popup.bringToFront();
  };
  const firstGmailShown = (popup: Tab) =>
    popup.evaluate(() => document.querySelector('dd')?.textContent?.trim() ?? null);

  await useSandboxService(extensionOf(d), sandboxUrl);
  const alexGmail = await openReplica(d, { sandboxUrl, gmail: ALEX, accountIndex: 0 });
  const popup = await d.openExtensionPage('popup.html');
  await popup.setViewport(POPUP.width, POPUP.height);
  await popup.text({ css: 'footer, p, span, div', text: 'Service: the server set in Options.' });

  await sendCodeAndTakeItFromGmail(popup, alexGmail, ALEX);
  // Opened in Gmail, the code email offers "Use code to link" (the inline way to the same flow).
  await alexGmail.click('tr.zA[data-ttg-kind="code"] .bA4');
  await eventually(
    () => alexGmail.evaluate(() => document.querySelector('div.adn')?.getAttribute('data-ttg-kind') ?? null),
    'code',
  );
  await alexGmail.text(button('Use code to link'));
  if (shots) await saveTabScreenshot(alexGmail, shots.gmail);
  await popup.bringToFront();

  await signIn(popup, 'Sign in with TikTok', null);
  await popup.text({ css: '[role="alert"]', text: 'You chose Deny on TikTok' });
  expect((await inspectLinks()).filter((l) => l.gmail === ALEX)).toEqual([]); // a denied sign-in links nothing
  await signIn(popup, 'Sign in with TikTok', 'riveracreates');
  await popup.text(heading('Linked TikTok account'));
  await popup.text(exactText('@riveracreates'));
  await popup.text(exactText('Business account'));
  await eventually(() => firstGmailShown(popup), ALEX);

  await popup.click(button('Check connection'));
  await popup.text({ css: '[role="status"]', text: 'the service confirms this link is active' });
  if (shots) await saveTabScreenshot(popup, shots.popup);

  // A second Gmail account in the same browser (/mail/u/1) links through its own replica tab.
  const jamieGmail = await openReplica(d, { sandboxUrl, gmail: JAMIE, accountIndex: 1 });
  await popup.reload();
  await sendCodeAndTakeItFromGmail(popup, jamieGmail, JAMIE);
  await signIn(popup, 'Sign in with TikTok', undefined);
  await popup.text(heading('Linked TikTok account'));
  await eventually(() => firstGmailShown(popup), JAMIE);
  const jamieUser = (await inspectLinks()).find((l) => l.gmail === JAMIE)!.tiktok.username;
  await popup.text(exactText(`@${jamieUser}`));

  // Unlink the first account, after its confirmation; the second keeps its link.
  await popup.fill('#gmail', ALEX);
  await popup.text(exactText('@riveracreates'));
  await popup.click(button('Unlink…'));
  await popup.text({ css: 'p, div, span', text: "Unlinking @riveracreates revokes the extension's access on TikTok" });
  await popup.click(button('Unlink now'));
  await popup.text({ css: '[role="status"]', text: `${ALEX} is no longer linked to TikTok` });
  await popup.text(heading('1. Prove this Gmail is yours'));

  const links = await inspectLinks();
  expect(links.find((l) => l.tiktok.username === 'riveracreates')?.status).toBe('revoked');
  expect(links.find((l) => l.gmail === JAMIE)?.status).toBe('active');
  await popup.fill('#gmail', JAMIE);
  await popup.text(exactText(`@${jamieUser}`));
}

/** Saves a screenshot of a link-flow state (the Chromium spec names them docs/screenshots/popup-<state>.png). */
export type Shot = (tab: Tab, state: string) => Promise<void>;

/**
 * The default, zero-configuration path: the popup against the embedded sandbox. Send code → the code email in the
 * user's Gmail tab is reported by the content script and offered, one click uses it → "Sign in with TikTok" opens the sandbox's
 * own sign-in page in a popup window (`windows.create`), Allow → linked → Check connection.
 */
export async function linkWithBuiltInSandbox(d: Driver, shot: Shot = async () => undefined): Promise<void> {
  const popup = await d.openExtensionPage(`popup.html#link?gmail=${encodeURIComponent(ALEX)}`);
  await popup.setViewport(POPUP.width, POPUP.height);
  await popup.text(heading('1. Prove this Gmail is yours'));
  await shot(popup, 'email');

  await popup.click(button('Send code'));
  await popup.text(heading('2. Enter the code'));
  await popup.text({ css: '[role="status"]', text: `Code sent to ${ALEX}` });
  await eventually(
    () => popup.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null),
    'Digit 1 of 6',
  );
  const code = await embeddedCode(popup, ALEX);
  await popup.text(pageText(`Sandbox mailbox: code ${code}.`));
  const resendDisabled = () =>
    popup.evaluate(
      () =>
        [...document.querySelectorAll('button')].find((b) => /^Resend in \d+ s$/.test(b.textContent?.trim() ?? ''))
          ?.disabled ?? null,
    );
  expect(await resendDisabled()).toBe(true);
  await shot(popup, 'code');

  // The code email arrives in the user's Gmail tab: the content script reports it and the popup offers it; one click
  // uses it (never by itself: the Gmail page could show forged code rows).
  await openFixture(d, 'https://mail.google.com/mail/u/0/#inbox', { html: inboxWithCode(ALEX, code) });
  await popup.bringToFront();
  await popup.click(button(`Use ${code}`));
  await popup.text(heading('3. Sign in with TikTok'));
  await popup.text({ css: '[role="status"]', text: 'The code from your Gmail tab was accepted' });
  await shot(popup, 'signin');

  await popup.click(button('Sign in with TikTok'));
  const signIn = await d.waitForTab((url) => /\/sandbox-signin\.html\?/.test(url));
  await signIn.text(pageText('Sandbox — not the real TikTok'));
  const chosen = () =>
    signIn.evaluate(
      () =>
        [...document.querySelectorAll<HTMLInputElement>('input[type="radio"]')].find((r) => r.checked)?.value ?? null,
    );
  await eventually(chosen, 'alex.rivera');
  await signIn.setViewport(480, 680);
  await shot(signIn, 'sandbox-signin');
  // The worker closes the window as it gets the answer, possibly before the click has fully returned.
  await signIn.click(button('Allow')).catch(() => undefined);

  await popup.bringToFront();
  await popup.text(heading('Linked TikTok account'));
  await popup.text(exactText('@alex.rivera'));
  await popup.text(exactText('Alex Rivera'));
  await popup.text(pageText('Personal account'));
  await eventually(() => popup.evaluate(() => document.querySelector('dd')?.textContent?.trim() ?? null), ALEX);
  await shot(popup, 'linked');

  await popup.click(button('Check connection'));
  await popup.text({ css: '[role="status"]', text: 'Connection checked: the service confirms this link is active' });
  await shot(popup, 'confirmed');
}
