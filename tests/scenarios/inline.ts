/**
 * Inline-action scenarios on the live Gmail replica, run in Chromium (tests/e2e/inline-replica.spec.ts) and Firefox:
 * a DM reply from the row chip reaches TikTok exactly once, and Copy code from a row puts the code on the clipboard.
 *
 * The inline composer is reached only through `composer` below (open / type / send / read the outbox), so where the
 * composer lives (today the extension's inline-frame.html inside Gmail) is known in one place.
 */
import { expect } from '@playwright/test';
import { control } from '../support/sandbox';
import { saveTabScreenshot, type Driver, type Step, type Tab } from './driver';
import { eventually, linkOnSandbox, openReplica } from './support';

export const INLINE_GMAIL = 'jamie.inline@gmail.com';
export const INLINE_SENDER = 'sam.replica.test';

/** The replica's list row whose text has `text`. */
export const rowStep = (text: string): Step => ({ css: 'tr.zA', text });

/** The extension frame under the email (or row) that holds the conversation and the composer (inline-frame.html). */
const composerFrame = (gmail: Tab) => gmail.frame(['ttg-inline', 'iframe[data-ttg-frame]']);
const replyBox = (username: string) => `textarea[aria-label="Reply to @${username}"]`;

/** The inline composer of a Gmail tab: it lives in the extension's frame (`composerFrame`), not in Gmail's page. */
export const composer = {
  /** Opens the composer from the Reply button of the row chip showing `rowText`. */
  openFromRow: (gmail: Tab, rowText: string) =>
    gmail.click([rowStep(rowText), 'ttg-chip', { css: 'button', text: /^Reply$/ }]),
  /** Replaces the reply text (the box is labelled `Reply to @<username>`). */
  type: async (gmail: Tab, username: string, text: string) =>
    (await composerFrame(gmail)).fill(replyBox(username), text),
  /** Sends with Enter, as a user does. */
  send: async (gmail: Tab, username: string) => (await composerFrame(gmail)).press(replyBox(username), 'Enter'),
  /** The label of the focused element in the composer frame (the box, once it opened). */
  focused: async (gmail: Tab) =>
    (await composerFrame(gmail)).evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null),
  /** The text of the conversation shown above the box. */
  history: async (gmail: Tab) => (await composerFrame(gmail)).text('.history'),
  /** The outbox entries shown in the composer: their text and status (`queued`, `sending`, `sent`...). */
  outbox: async (gmail: Tab) =>
    (await composerFrame(gmail)).evaluate(() =>
      [...document.querySelectorAll('[data-testid="outbox-entry"]')].map((e) => ({
        status: e.getAttribute('data-status'),
        text: e.textContent ?? '',
      })),
    ),
};

interface Conversations {
  conversations: { messages: { direction: string; text: string }[] }[];
}

/** The texts we sent in the one conversation with `username` (fails if there is not exactly one). */
export async function repliesTo(sandboxUrl: string, username: string): Promise<string[]> {
  const withUser = (await control<Conversations>(sandboxUrl, 'inspect')).conversations.filter((c) =>
    JSON.stringify(c).includes(`"${username}"`),
  );
  expect(withUser).toHaveLength(1);
  return withUser[0]!.messages.filter((m) => m.direction === 'out').map((m) => m.text);
}

/** Links INLINE_GMAIL on the sandbox and opens its replica (plain inbox); returns the tab and the TikTok username. */
export async function linkedReplica(d: Driver, sandboxUrl: string): Promise<{ gmail: Tab; me: string }> {
  const { link } = await linkOnSandbox(d, sandboxUrl, INLINE_GMAIL);
  const gmail = await openReplica(d, { sandboxUrl, gmail: INLINE_GMAIL, layout: 'inbox' });
  return { gmail, me: link.tiktok.username };
}

/** A TikTok DM arrives in the replica; Reply from its row chip, Enter: TikTok gets the reply once. Returns the Gmail tab. */
export async function replyOnceFromRow(d: Driver, sandboxUrl: string, screenshot?: string): Promise<Tab> {
  const { gmail } = await linkedReplica(d, sandboxUrl);
  await control(sandboxUrl, 'simulate', {
    type: 'message',
    to_gmail: INLINE_GMAIL,
    from_username: INLINE_SENDER,
    text: 'Can I use your sound?',
  });

  // The new row arrives by polling, is detected, and offers Reply without opening the email.
  await gmail.text([rowStep(`@${INLINE_SENDER}`), 'ttg-chip', { css: 'button', text: /^Reply$/ }]);
  if (screenshot) await saveTabScreenshot(gmail, screenshot);
  await composer.openFromRow(gmail, `@${INLINE_SENDER}`);
  await expect.poll(() => composer.history(gmail)).toContain('Can I use your sound?');
  await eventually(() => composer.focused(gmail), `Reply to @${INLINE_SENDER}`);
  await composer.type(gmail, INLINE_SENDER, 'Yes, go ahead!');
  await composer.send(gmail, INLINE_SENDER);
  await eventually(async () => (await composer.outbox(gmail)).map((e) => e.status), ['sent']);
  expect(await repliesTo(sandboxUrl, INLINE_SENDER)).toEqual(['Yes, go ahead!']);
  // Enter again on the emptied box sends nothing more.
  await composer.send(gmail, INLINE_SENDER);
  await new Promise((r) => setTimeout(r, 500));
  expect(await repliesTo(sandboxUrl, INLINE_SENDER)).toEqual(['Yes, go ahead!']);
  return gmail;
}

/** A code email arrives; Copy code on its row puts the code on the clipboard without opening the email. */
export async function copyCodeFromRow(d: Driver, sandboxUrl: string): Promise<{ gmail: Tab }> {
  const { gmail } = await linkedReplica(d, sandboxUrl);
  const { email } = await control<{ email: { subject: string } }>(sandboxUrl, 'simulate', {
    type: 'code',
    to_gmail: INLINE_GMAIL,
  });
  const code = /^(\d{6}) is your verification code$/.exec(email.subject)![1]!;

  const button = [rowStep(code), 'ttg-chip', `button[aria-label="Copy code ${code}"]`];
  await gmail.click(button);
  await eventually(() => gmail.text(button), 'Copied');
  expect(await gmail.readClipboard()).toBe(code);
  expect(await gmail.evaluate(() => location.hash)).toBe('#inbox'); // the row was not opened
  return { gmail };
}
