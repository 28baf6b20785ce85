/**
 * The popup's link flow in real Chromium against the embedded sandbox (the default settings): link with the code
 * taken from Gmail, the manual path, every failure with its message, re-authorization, unlink, two Gmail accounts,
 * a service worker restart, and that a Gmail page cannot read the session. Saves a screenshot of each popup state.
 */
import type { BrowserContext, Page } from '@playwright/test';
import {
  answerEmbeddedSignIn,
  embeddedCode,
  inboxWithCode,
  linkAccount,
  sendMessage,
  waitForEmbeddedSignIn,
} from '../support/link';
import { stopServiceWorker } from '../support/worker';
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { expect, test } from './fixtures';
import { saveScreenshot } from '../support/screenshots';
import { pageOf } from '../support/playwright-driver';
import { linkWithBuiltInSandbox } from '../scenarios/link';
import { openLinkPopup } from '../support/popup';
import { expectAccessible } from '../support/axe';

const ALEX = SEED_GMAIL; // the sandbox's seeded Gmail user: accounts alex.rivera, riveracreates, ...
const JAMIE = 'jamie.doe@gmail.com'; // a new address: the sandbox creates its TikTok account on demand

const openPopup = openLinkPopup;

/** Every pictured state is checked with axe, at the popup's real size (and pictured only for `npm run screenshots`). */
const shot = async (popup: Page, state: string) => {
  await expectAccessible(popup, `popup: ${state}`);
  await saveScreenshot(popup, `docs/screenshots/popup-${state}.png`);
};
const alert = (popup: Page) => popup.getByRole('alert');
const heading = (popup: Page, name: string) => popup.getByRole('heading', { name });
const wrongCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

/** Types a whole code into the 6 boxes the way a paste or an autofill does (all digits land in the first box). */
async function enterCode(popup: Page, code: string): Promise<void> {
  await popup.getByLabel('Digit 1 of 6').fill(code);
}

/** Gets `gmail` to step 3 (verified, not signed in) through messages, then shows it in a popup. */
async function verifiedPopup(openExtensionPage: (file: string) => Promise<Page>, gmail: string): Promise<Page> {
  const popup = await openPopup(openExtensionPage, gmail);
  expect((await sendMessage(popup, 'linkStart', { gmail })).ok).toBe(true);
  expect((await sendMessage(popup, 'linkVerify', { gmail, code: await embeddedCode(popup, gmail) })).ok).toBe(true);
  await popup.reload();
  await expect(heading(popup, '3. Sign in with TikTok')).toBeVisible();
  return popup;
}

async function control(popup: Page, action: string, body: Record<string, unknown> = {}): Promise<unknown> {
  const r = await sendMessage(popup, 'sandboxControl', { action, body });
  if (!r.ok) throw new Error(`${action}: ${r.error.code} ${r.error.message}`);
  return r.data;
}

// The default path, shared with Firefox (tests/scenarios/link.ts); here it also saves each state's screenshot.
test('links with the code offered from the open Gmail tab, with one click and no typing', ({ driver }) =>
  // (the sign-in page is pictured as it was, without the popup's axe check)
  linkWithBuiltInSandbox(driver, (tab, state) =>
    state === 'sandbox-signin'
      ? saveScreenshot(pageOf(tab), 'docs/screenshots/popup-sandbox-signin.png')
      : shot(pageOf(tab), state),
  ));

test('manual code: invalid addresses, trimmed spaces, wrong code with attempts left, then the right code', async ({
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage);
  const address = popup.getByLabel('Gmail account');
  const send = popup.getByRole('button', { name: 'Send code' });

  await address.fill('alex.rivera.demo@gmial.com');
  await send.click();
  await expect(alert(popup)).toContainText('"gmial.com" looks like a typo. Did you mean alex.rivera.demo@gmail.com?');
  await shot(popup, 'invalid-email');

  await address.fill('alex.rivera .demo@gmail.com');
  await send.click();
  await expect(alert(popup)).toContainText('The address has a space after "alex.rivera"');

  // Keyboard only: the address, Tab to the Link tab, Tab to Send code, Enter; the first code box takes the focus.
  await address.fill(`  ${ALEX}  `);
  await address.focus();
  await popup.keyboard.press('Tab');
  await expect(popup.getByRole('tab', { name: 'Link' })).toBeFocused();
  await popup.keyboard.press('Tab');
  await expect(send).toBeFocused();
  await popup.keyboard.press('Enter');
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  await expect(popup.getByLabel('Digit 1 of 6')).toBeFocused();
  await expect(address).toHaveValue(ALEX);
  await expect(popup.getByRole('button', { name: /^Resend in \d+ s$/ })).toBeDisabled();
  const resend = await sendMessage(popup, 'linkResend', { gmail: ALEX });
  expect(resend.ok ? null : resend.error.code).toBe('rate_limit_exceeded');

  const code = await embeddedCode(popup, ALEX);
  await popup.keyboard.type(`${wrongCode(code).slice(0, 3)}x-${wrongCode(code).slice(3)}`); // letters are ignored, boxes advance
  await expect(alert(popup)).toContainText('That code is not right. 4 attempts left.');
  await shot(popup, 'wrong-code');

  await enterCode(popup, code);
  await expect(heading(popup, '3. Sign in with TikTok')).toBeVisible();
});

test('sign-in failures: denied, window closed, email mismatch, already linked — each with its message and a way forward', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await verifiedPopup(openExtensionPage, ALEX);

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await answerEmbeddedSignIn(context, null);
  await expect(alert(popup)).toContainText('You chose Deny on TikTok, so nothing was linked');
  await shot(popup, 'denied');

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await (await waitForEmbeddedSignIn(context)).close();
  await expect(alert(popup)).toContainText('Sign-in was cancelled');
  await shot(popup, 'cancelled');

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await answerEmbeddedSignIn(context, 'alex.rivera.music');
  await expect(alert(popup)).toContainText(
    `You chose @alex.rivera.music, which is registered with another email, not ${ALEX}`,
  );
  await shot(popup, 'email-mismatch');

  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await answerEmbeddedSignIn(context, 'alexr.cooks');
  await expect(alert(popup)).toContainText('already linked to another Gmail address');
  await shot(popup, 'already-linked');

  // The popup closes as soon as the user clicks into another window: the sign-in goes on and the popup reopens linked.
  await popup.getByRole('button', { name: 'Sign in with TikTok' }).click();
  await waitForEmbeddedSignIn(context);
  await popup.close();
  await answerEmbeddedSignIn(context, 'riveracreates');
  const reopened = await openPopup(openExtensionPage, ALEX);
  await expect(heading(reopened, 'Linked TikTok account')).toBeVisible();
  await expect(reopened.getByText('Business account')).toBeVisible();
});

test('expired code and too many attempts', async ({ openExtensionPage }) => {
  const popup = await openPopup(openExtensionPage, ALEX);
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  const code = await embeddedCode(popup, ALEX);
  await control(popup, 'clock', { advance_s: 11 * 60 });
  await enterCode(popup, code);
  await expect(alert(popup)).toContainText('This code has expired. Send a new one.');
  await shot(popup, 'code-expired');
  await popup.getByRole('button', { name: 'Send a new code' }).click();
  await expect(popup.getByRole('status')).toContainText(`Code sent to ${ALEX}`);
  const fresh = await embeddedCode(popup, ALEX);
  expect(fresh).not.toBe(code);

  await popup.getByLabel('Gmail account').fill(JAMIE);
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  const jamie = await embeddedCode(popup, JAMIE);
  for (let left = 4; left >= 1; left--) {
    await enterCode(popup, wrongCode(String(Number(jamie) + left)));
    await expect(alert(popup)).toContainText(left === 1 ? '1 attempt left.' : `${left} attempts left.`);
  }
  await enterCode(popup, wrongCode(jamie));
  await expect(alert(popup)).toContainText('Too many wrong codes. You can try again in 15 min.');
  await expect(popup.getByLabel('Digit 1 of 6')).toBeDisabled();
  await shot(popup, 'too-many-attempts');
});

test('after too many wrong codes, a popup opened later shows the time really left, then a new code once the lock is over', async ({
  context,
  extensionId,
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage, JAMIE);
  expect((await sendMessage(popup, 'linkStart', { gmail: JAMIE })).ok).toBe(true);
  const code = await embeddedCode(popup, JAMIE);
  for (let i = 1; i <= 5; i++)
    await sendMessage(popup, 'linkVerify', { gmail: JAMIE, code: wrongCode(String(Number(code) + i)) });
  await popup.close();

  // Five minutes later (the popup's clock; the lock is kept with the time it ends).
  const later = await context.newPage();
  await later.clock.install({ time: Date.now() + 5 * 60_000 });
  await later.goto(`chrome-extension://${extensionId}/popup.html#link?gmail=${encodeURIComponent(JAMIE)}`);
  await expect(alert(later)).toContainText('Too many wrong codes. You can try again in 10 min.');
  await expect(later.getByLabel('Digit 1 of 6')).toBeDisabled();

  // The lock runs out while the popup is open: it says so and a new code is one click away.
  await control(later, 'clock', { advance_s: 16 * 60 });
  await later.clock.fastForward('11:00');
  await expect(alert(later)).toContainText(
    'The lock after too many wrong codes is over. Send a new code to try again.',
  );
  await later.getByRole('button', { name: 'Send a new code' }).click();
  await expect(later.getByRole('status')).toContainText(`Code sent to ${JAMIE}`);
  await expect(later.getByLabel('Digit 1 of 6')).toBeEnabled();
  expect(await embeddedCode(later, JAMIE)).not.toBe(code);
});

test('service unreachable: Retry, and nothing typed is lost', async ({ openExtensionPage }) => {
  const popup = await openPopup(openExtensionPage);
  await popup.getByLabel('Gmail account').fill(JAMIE);
  await control(popup, 'faults', { count: 4, kinds: ['drop'], path_prefix: '/v1/link/' });
  await popup.getByRole('button', { name: 'Send code' }).click();
  await expect(alert(popup)).toContainText("The service can't be reached", { timeout: 20_000 });
  await expect(popup.getByLabel('Gmail account')).toHaveValue(JAMIE);
  await shot(popup, 'unreachable');
  await popup.getByRole('button', { name: 'Retry' }).click();
  await expect(heading(popup, '2. Enter the code')).toBeVisible();
  await expect(popup.getByRole('status')).toContainText(`Code sent to ${JAMIE}`);
});

test('re-authorization with one click, even across a worker restart; the link survives a service worker restart', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage, ALEX);
  const link = await linkAccount({ context, page: popup, gmail: ALEX });
  await control(popup, 'reauth', { link_id: link.link_id });
  await popup.reload();
  await popup.getByRole('button', { name: 'Check connection' }).click();
  await expect(heading(popup, 'Link needs attention')).toBeVisible();
  await shot(popup, 'reauth');
  // The worker is stopped while the user reads the consent page: Allow still finishes the sign-in.
  await popup.getByRole('button', { name: 'Re-authorize with TikTok' }).click();
  await waitForEmbeddedSignIn(context);
  expect(await stopServiceWorker(context)).toBe(true);
  await answerEmbeddedSignIn(context, undefined);
  await expect
    .poll(
      async () =>
        (await sendMessage(popup, 'linkFlow', { gmail: ALEX })).ok &&
        (await sendMessage(popup, 'linkState', { gmail: ALEX })),
    )
    .toMatchObject({
      data: { health: 'ok' },
    });
  await popup.reload();
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();

  expect(await stopServiceWorker(context)).toBe(true);
  await popup.reload();
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();
  await expect(popup.getByText('@alex.rivera', { exact: true })).toBeVisible();
  await popup.getByRole('button', { name: 'Check connection' }).click();
  await expect(popup.getByRole('status')).toContainText('the service confirms this link is active');
});

test('two Gmail accounts keep separate links; unlink one after a confirmation', async ({
  context,
  openExtensionPage,
  openGmail,
}) => {
  // The popup proposes the Gmail account of the Gmail tab (here the second account, /mail/u/1).
  await openGmail({ url: 'https://mail.google.com/mail/u/1/#inbox', html: inboxWithCode(JAMIE, '000000') });
  const proposed = await openPopup(openExtensionPage);
  await expect(proposed.getByLabel('Gmail account')).toHaveValue(JAMIE);
  await proposed.close();

  const popup = await openPopup(openExtensionPage, ALEX);
  await linkAccount({ context, page: popup, gmail: ALEX });
  const jamie = await linkAccount({ context, page: popup, gmail: JAMIE });
  await popup.reload();
  await expect(popup.getByText('@alex.rivera', { exact: true })).toBeVisible();

  await popup.getByLabel('Gmail account').fill(JAMIE);
  await expect(popup.getByText(`@${jamie.tiktok.username}`, { exact: true })).toBeVisible();
  await expect(popup.locator('dd').first()).toHaveText(JAMIE);

  await popup.getByLabel('Gmail account').fill(ALEX);
  await popup.getByRole('button', { name: 'Unlink…' }).click();
  await expect(popup.getByText(/Unlinking @alex\.rivera revokes the extension's access on TikTok/)).toBeVisible();
  await shot(popup, 'unlink-confirm');
  await popup.getByRole('button', { name: 'Unlink now' }).click();
  await expect(popup.getByRole('status')).toContainText(`${ALEX} is no longer linked to TikTok`);
  await expect(heading(popup, '1. Prove this Gmail is yours')).toBeVisible();
  await shot(popup, 'unlinked');

  const { links } = (await control(popup, 'inspect')) as { links: { status: string; tiktok: { username: string } }[] };
  expect(links.find((l) => l.tiktok.username === 'alex.rivera')?.status).toBe('revoked');
  expect(links.find((l) => l.tiktok.username === jamie.tiktok.username)?.status).toBe('active');
  await popup.getByLabel('Gmail account').fill(JAMIE);
  await expect(popup.getByText(`@${jamie.tiktok.username}`, { exact: true })).toBeVisible();
});

test("a Gmail page's content script cannot read the session; it lives only in the extension's IndexedDB", async ({
  context,
  extensionId,
  openExtensionPage,
  openGmail,
  worker,
}) => {
  const popup = await openPopup(openExtensionPage, ALEX);
  await linkAccount({ context, page: popup, gmail: ALEX });
  const token = await popup.evaluate(
    () =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('ttg-vault');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('kv').objectStore('kv').get('sessions');
          get.onsuccess = () =>
            resolve((Object.values(get.result ?? {})[0] as { token?: string } | undefined)?.token ?? '');
        };
      }),
  );
  expect(token.length).toBeGreaterThan(10);
  const everywhere = await (
    await worker()
  ).evaluate(async () => {
    const c = (
      globalThis as unknown as { chrome: { storage: Record<'local' | 'session', { get(k: null): Promise<unknown> }> } }
    ).chrome;
    return JSON.stringify([await c.storage.local.get(null), await c.storage.session.get(null)]);
  });
  expect(everywhere).not.toContain(token);

  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox', fixture: 'inbox.html' });
  const cdp = await context.newCDPSession(gmail);
  const contexts: { id: number; origin: string; name: string; auxData?: { type?: string } }[] = [];
  const ours = (c: (typeof contexts)[number]) =>
    c.auxData?.type === 'isolated' && (c.origin.includes(extensionId) || c.name === 'TikTok Gmail Link');
  cdp.on('Runtime.executionContextCreated', ({ context: c }) => contexts.push(c));
  await cdp.send('Runtime.enable');
  await expect.poll(() => contexts.some(ours)).toBe(true);
  const isolated = contexts.find(ours)!;
  const { result } = await cdp.send('Runtime.evaluate', {
    contextId: isolated.id,
    awaitPromise: true,
    returnByValue: true,
    expression: `(async () => {
      const out = { local: JSON.stringify(await chrome.storage.local.get(null)) };
      try { out.session = JSON.stringify(await chrome.storage.session.get(null)); } catch (e) { out.sessionError = String(e); }
      out.databases = (await indexedDB.databases()).map((d) => d.name);
      out.unlink = await chrome.runtime.sendMessage({ id: 1, type: 'unlink', data: { gmail: '${ALEX}' }, timestamp: Date.now() });
      out.signIn = await chrome.runtime.sendMessage({ id: 2, type: 'linkFlow', data: { gmail: '${ALEX}' }, timestamp: Date.now() });
      return out;
    })()`,
  });
  const seen = result.value as {
    local: string;
    session?: string;
    sessionError?: string;
    databases: string[];
    unlink: { res: { ok: boolean; error?: { code: string } } };
    signIn: { res: { ok: boolean; error?: { code: string } } };
  };
  expect(JSON.stringify(seen)).not.toContain(token);
  expect(seen.sessionError ?? '').toMatch(/access/i);
  expect(seen.databases).not.toContain('ttg-vault');
  expect(seen.unlink.res).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  expect(seen.signIn.res).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
  await cdp.detach();

  // Still linked: the refused unlink did nothing.
  await popup.reload();
  await expect(heading(popup, 'Linked TikTok account')).toBeVisible();
});

test('Drafts tab: a reply the service refused for good is kept with the reason, and can be discarded', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage, ALEX);
  await linkAccount({ context, page: popup, gmail: ALEX });
  const convo = await sendMessage(popup, 'conversationContext', { gmail: ALEX, username: 'sam.eats' }); // last message 80 h ago
  if (!convo.ok || !convo.data.conversation) throw new Error('no conversation with @sam.eats');
  const queued = await sendMessage(popup, 'sendReply', {
    gmail: ALEX,
    target: { kind: 'message', username: 'sam.eats', conversation_id: convo.data.conversation.conversation_id },
    text: 'Still have the grinder?',
    client_key: 'drafts-tab-e2e-1',
  });
  expect(queued.ok).toBe(true);
  await expect
    .poll(async () => {
      const list = await sendMessage(popup, 'outboxList', { gmail: ALEX });
      return list.ok ? list.data.map((e) => e.status) : [];
    })
    .toEqual(['draft']);

  await popup.getByRole('tab', { name: 'Drafts' }).click();
  await expect(popup.getByText('Still have the grinder?')).toBeVisible();
  await expect(popup.getByText('To @sam.eats')).toBeVisible();
  await expect(popup.getByText(/within 48 hours/)).toBeVisible(); // why it was not sent
  await shot(popup, 'drafts');
  await popup.getByRole('button', { name: 'Discard' }).click();
  await expect(popup.getByText('Draft discarded.')).toBeVisible();
  await expect(popup.getByText('No unsent replies.')).toBeVisible();
});
