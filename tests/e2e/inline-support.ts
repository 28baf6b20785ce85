/**
 * Helpers for the inline-action e2e tests (tests/e2e/inline*.spec.ts), driving the built extension with its embedded
 * sandbox (the default service mode) through the catalogue messages an extension page may send:
 *
 * - `call(page, name, data)`: one catalogue message from an extension page; returns `data` or throws the error.
 * - `linkGmail(context, page, gmail)`: the whole link flow (tests/support/link.ts); returns the TikTok username.
 * - `simulate(page, body)`: `/sandbox/simulate` → the notification email (MailboxEmail) it sent.
 * - `threadPage(gmail, email, opts)` / `listPage(gmail, emails, opts)`: a Gmail page (tests/support/gmail-markup.ts,
 *   Gmail's structure and look) showing that email opened, or rows of emails; every text is escaped (built as
 *   elements, never parsed as HTML). The page installs traps: `window.__keys` (keys that reached Gmail's document/window
 *   listeners), `window.__rowClicks` (clicks that reached a row).
 * - `setQuickActions(page, on)`: settings `gmail.quick_actions` from an extension page.
 * - `composerFrame(page)` / `openComposer(page, label)` / `sendReply(frame, text)`: the composer frame under the open email (our
 *   inline-frame.html), as a user reaches it: click Reply and wait for its box.
 */
import { expect, type BrowserContext, type FrameLocator, type Page } from '@playwright/test';
import type { MessageName, RequestOf, ResponseOf } from '@/utils/messaging/catalogue';
import type { MailboxEmail } from '@/utils/sandbox';
import { hexId, pageHtml, rowListNode, threadNode, viewNode } from '../support/gmail-markup';
import { linkAccount, sendMessage } from '../support/link';

/** `sendMessage` from tests/support/link.ts, returning `data` or throwing the error. */
export async function call<K extends MessageName>(page: Page, name: K, data: RequestOf<K>): Promise<ResponseOf<K>> {
  const result = await sendMessage(page, name, data);
  if (!result.ok) throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

/** Links `gmail` with the embedded sandbox (tests/support/link.ts); returns the linked TikTok username. */
export async function linkGmail(context: BrowserContext, page: Page, gmail: string): Promise<string> {
  return (await linkAccount({ context, page, gmail })).tiktok.username;
}

export async function simulate(page: Page, body: Record<string, unknown>): Promise<MailboxEmail> {
  const out = (await call(page, 'sandboxControl', { action: 'simulate', body })) as { email: MailboxEmail };
  return out.email;
}

export interface Inspect {
  conversations: { conversation_id: string; with_username?: string; messages: { text: string; direction: string }[] }[];
  comments: { comment_id: string; text: string; parent_comment_id: string | null; username: string; status: string }[];
  follows: unknown[];
}

export async function inspect(page: Page): Promise<Inspect> {
  return (await call(page, 'sandboxControl', { action: 'inspect', body: {} })) as Inspect;
}

/** Settings `gmail.quick_actions`, written from an extension page as the options page would (other settings kept). */
export async function setQuickActions(page: Page, on: boolean): Promise<void> {
  await page.evaluate(async (quick_actions) => {
    type Local = { get(key: string): Promise<{ settings?: { gmail?: object } }>; set(value: object): Promise<void> };
    const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
    const current = (await local.get('settings')).settings ?? {};
    await local.set({ settings: { ...current, gmail: { ...(current.gmail ?? {}), quick_actions } } });
  }, on);
}

export interface PageOpts {
  dark?: boolean;
}

const TRAPS = `window.__keys = [];
window.__rowClicks = 0;
const record = (where) => (e) => window.__keys.push(where + ':' + e.type + ':' + e.key);
for (const type of ['keydown', 'keypress', 'keyup']) {
  document.addEventListener(type, record('document'));
  window.addEventListener(type, record('window'));
}
document.addEventListener('click', (e) => { if (e.target.closest && e.target.closest('tr.zA')) window.__rowClicks++; });`;

/** The email as Gmail shows it (tests/support/gmail-markup.ts: Gmail's header, TikTok's HTML template for TikTok senders). */
const message = (email: MailboxEmail) => ({
  from: email.from,
  messageId: hexId(`msg:${email.id}`),
  text: email.text,
  links: email.links,
  expanded: true,
  date: '9:41 AM (2 minutes ago)',
});

export function threadPage(gmail: string, email: MailboxEmail, opts: PageOpts = {}): string {
  const thread = threadNode({
    threadId: hexId(`thread:${email.id}`),
    subject: email.subject,
    messages: [{ ...message(email), to: { name: 'me', email: gmail } }],
  });
  return pageHtml({
    gmail,
    title: `${email.subject} - ${gmail} - Gmail`,
    views: [viewNode([thread])],
    script: TRAPS,
    dark: opts.dark,
  });
}

export function listPage(gmail: string, emails: MailboxEmail[], opts: PageOpts = {}): string {
  const rows = emails.map((email, i) => ({
    from: email.from,
    subject: email.subject,
    snippet: email.text.replace(/\s+/g, ' ').slice(0, 140),
    threadId: hexId(`thread:${email.id}`),
    date: `9:${String(41 - i).padStart(2, '0')} AM`,
  }));
  return pageHtml({
    gmail,
    title: `Inbox (${emails.length}) - ${gmail} - Gmail`,
    views: [viewNode([rowListNode(rows)])],
    counts: { inbox: emails.length },
    script: TRAPS,
    dark: opts.dark,
  });
}

export const GMAIL = 'alex.rivera.demo@gmail.com';
export const THREAD_URL = 'https://mail.google.com/mail/u/0/#inbox/18f0a1b2c3d4e5f6';
export const INBOX_URL = 'https://mail.google.com/mail/u/0/#inbox';

/**
 * Where the composer is, for any driver (Playwright here; puppeteer in the Firefox scenarios): the Reply button in the
 * `ttg-inline` shadow root opens `frame` (our inline-frame.html) beside it; in that frame, `box` is the reply text
 * box (Enter sends), `entry` each reply with its `data-status` (`sent` once delivered).
 */
export const COMPOSER = {
  frame: 'ttg-inline iframe[data-ttg-frame]',
  box: 'textarea',
  entry: '[data-testid="outbox-entry"]',
} as const;

/** The composer frame under the open email: the DM conversation or comment and the composer live in there. */
export function composerFrame(page: Page): FrameLocator {
  return page.locator(COMPOSER.frame).contentFrame();
}

/** Clicks the email's "Reply on TikTok" (or `label`) and waits for the composer frame to show its reply box. */
export async function openComposer(page: Page, label = 'Reply on TikTok'): Promise<FrameLocator> {
  await page.locator('ttg-inline').getByRole('button', { name: label, exact: true }).click();
  const frame = composerFrame(page);
  await expect(frame.getByRole('textbox')).toBeVisible();
  return frame;
}

/** Types `text` into the frame's reply box as a user does, presses Enter, and waits until the outbox says it was sent. */
export async function sendReply(frame: FrameLocator, text: string): Promise<void> {
  const box = frame.getByRole('textbox');
  await box.click();
  await box.pressSequentially(text);
  const before = await frame.getByTestId('outbox-entry').count();
  await box.press('Enter');
  await expect(frame.getByTestId('outbox-entry')).toHaveCount(Math.min(before + 1, 5));
  await expect(frame.getByTestId('outbox-entry').last()).toHaveAttribute('data-status', 'sent');
}
