/**
 * E2E helpers for the link flow, driving the real extension (no test hooks). The loopback sandbox's own helpers
 * (`useSandboxService`, `control`, `mailbox`, `latestCode`) are in tests/support/sandbox.ts.
 *
 * - `sendMessage(page, name, data)`: send a catalogue message from an extension page (popup.html, options.html...)
 *   in @webext-core/messaging's wire format; returns the `Result`.
 * - `approveSignIn(context, url, username | null)`: waits for the TikTok sign-in window the extension opens and
 *   answers it as the user would (Allow with `username`, or Deny with null) through the sandbox's consent endpoint.
 * - `inboxWithCode(gmail, code)`: the Gmail inbox fixture signed in as `gmail`, topped by TikTok's code email with `code`
 *   (serve it with `openGmail({ url, html })`; the content script reports the code as it would in real Gmail).
 * - `linkAccount({ context, page, sandboxUrl?, gmail, username? })`: the whole flow (start → code from the mailbox →
 *   verify → sign in → allow) through messages; returns the `Link`. Use it to get a linked account quickly. Without
 *   `sandboxUrl` it runs against the embedded sandbox (default settings) and answers its sign-in page.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { Driver, Evaluator } from '../scenarios/driver';
import { SEED_GMAIL } from '@/utils/sandbox/state';
import { FIXTURES_DIR } from './gmail-route';
import { codeIn, control, latestCode } from './sandbox';
import type { Link } from '@/utils/api/schemas';
import type { MessageName, RequestOf, ResponseOf, Result } from '@/utils/messaging/catalogue';

/** The extension API inside `evaluate` callbacks (they run in the extension, not in Node): `browser` in Firefox. */
type Runtime = { runtime: { sendMessage(message: unknown): Promise<unknown> } };

/** `page`: an extension page, Playwright's or a shared scenario's (tests/scenarios/driver.ts). */
export async function sendMessage<K extends MessageName>(
  page: Page | Evaluator,
  name: K,
  data: RequestOf<K>,
): Promise<Result<ResponseOf<K>>> {
  return (page as Evaluator).evaluate(
    async ({ name, data }: { name: string; data: unknown }) => {
      const g = globalThis as unknown as { browser?: Runtime; chrome: Runtime };
      const reply = (await (g.browser ?? g.chrome).runtime.sendMessage({
        id: Math.floor(Math.random() * 1e9),
        type: name,
        data,
        timestamp: Date.now(),
      })) as {
        res?: unknown;
        err?: { message?: string };
      };
      if (reply?.err) throw new Error(reply.err.message ?? 'message failed');
      return reply.res;
    },
    { name, data: data as unknown },
  ) as Promise<Result<ResponseOf<K>>>;
}

/** Where sign-in windows open: a Playwright context, or a shared scenario's driver (tests/scenarios/driver.ts). */
export type Windows = BrowserContext | Pick<Driver, 'waitForTab'>;

/** The sign-in window opened by launchWebAuthFlow on the HTTP sandbox's authorize page. */
export async function waitForSignInWindow(
  context: Windows,
  url: string,
): Promise<{ url(): string | Promise<string>; goto(url: string): Promise<unknown> }> {
  const isAuth = (u: string) => u.startsWith(`${url}/sandbox/oauth/authorize`);
  if ('waitForTab' in context) return context.waitForTab(isAuth);
  const open = context.pages().find((p) => isAuth(p.url()));
  return open ?? context.waitForEvent('page', { predicate: (p) => isAuth(p.url()), timeout: 15_000 });
}

/** Answers the sign-in window as the user would; `username` null = Deny. */
export async function approveSignIn(context: Windows, url: string, username: string | null): Promise<void> {
  const page = await waitForSignInWindow(context, url);
  const state = new URL(await page.url()).searchParams.get('state')!;
  const { redirect_url } = await control<{ redirect_url: string }>(url, 'oauth/decide', { state, username });
  // The browser ends the auth flow as soon as the window navigates to the extension's redirect URL
  // (https://<id>.chromiumapp.org/ in Chromium, https://<hash>.extensions.allizom.org/ in Firefox).
  await page.goto(redirect_url).catch(() => undefined);
}

/** The sandbox account a Gmail address signs in with (created on demand by the sandbox for a new address). */
export async function accountOf(context: Windows, url: string): Promise<string> {
  const page = await waitForSignInWindow(context, url);
  const state = new URL(await page.url()).searchParams.get('state')!;
  const { gmail, accounts } = await control<{ gmail: string; accounts: { username: string; email: string }[] }>(
    url,
    `oauth/accounts?state=${encodeURIComponent(state)}`,
  );
  const own = accounts.find((a) => a.email === gmail);
  if (!own) throw new Error(`No sandbox TikTok account for ${gmail}`);
  return own.username;
}

/** The embedded sandbox's sign-in window (sandbox-signin.html, opened by the worker in a popup window). */
export async function waitForEmbeddedSignIn(context: BrowserContext): Promise<Page> {
  const isSignIn = (p: Page) => /\/sandbox-signin\.html\?/.test(p.url());
  const page =
    context.pages().find(isSignIn) ?? (await context.waitForEvent('page', { predicate: isSignIn, timeout: 15_000 }));
  await page.waitForLoadState('domcontentloaded');
  return page;
}

/**
 * Clicks a button on the sign-in window whose answer makes the worker close that window. The window can close while
 * Playwright is still finishing its click ("Target page, context or browser has been closed"): that close is the
 * expected outcome, so it is not an error; any other failure is.
 */
export async function clickClosingSignIn(page: Page, name: 'Allow' | 'Deny'): Promise<void> {
  await page
    .getByRole('button', { name })
    .click()
    .catch((err: unknown) => {
      if (!page.isClosed() && !/has been closed/.test(String(err))) throw err;
    });
}

/** Chooses `username` (or the account preselected for the Gmail address) on the embedded sign-in page and clicks Allow; null = Deny. */
export async function answerEmbeddedSignIn(
  context: BrowserContext,
  username: string | null | undefined,
): Promise<void> {
  const page = await waitForEmbeddedSignIn(context);
  if (username === null) return clickClosingSignIn(page, 'Deny');
  if (username)
    await page.getByRole('radio', { name: new RegExp(`@${username.replace(/\./g, '\\.')}(\\s|$)`) }).check();
  await clickClosingSignIn(page, 'Allow');
}

/** The newest verification code in the embedded sandbox's mailbox of `gmail` (read from an extension page). */
export async function embeddedCode(page: Page | Evaluator, gmail: string): Promise<string> {
  const r = await sendMessage(page, 'sandboxMailbox', { gmail });
  if (!r.ok) throw new Error(`sandboxMailbox failed: ${r.error.code} ${r.error.message}`);
  for (const item of r.data as { subject?: string }[]) {
    const code = codeIn(item.subject ?? '');
    if (code) return code;
  }
  throw new Error(`No verification code in the embedded sandbox mailbox of ${gmail}`);
}

/**
 * Links `gmail` through the real flow, by messages from an extension `page` (popup.html, options.html...).
 * With `sandboxUrl` it uses the loopback HTTP sandbox (call `useSandboxService` first); without, the embedded sandbox
 * (the default settings) and its sign-in page.
 */
export async function linkAccount(opts: {
  context: Windows;
  page: Page | Evaluator;
  sandboxUrl?: string;
  gmail: string;
  username?: string;
}): Promise<Link> {
  const { context, page, sandboxUrl, gmail } = opts;
  const must = <T>(r: Result<T>, step: string): T => {
    if (!r.ok) throw new Error(`${step} failed: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  must(await sendMessage(page, 'linkStart', { gmail }), 'linkStart');
  const code = sandboxUrl ? await latestCode(sandboxUrl, gmail) : await embeddedCode(page, gmail);
  must(await sendMessage(page, 'linkVerify', { gmail, code }), 'linkVerify');
  const signIn = sendMessage(page, 'linkSignIn', { gmail });
  if (sandboxUrl) await approveSignIn(context, sandboxUrl, opts.username ?? (await accountOf(context, sandboxUrl)));
  else if ('waitForTab' in context)
    throw new Error('linkAccount: the embedded sandbox sign-in needs a Playwright context');
  else await answerEmbeddedSignIn(context, opts.username);
  const flow = must(await signIn, 'linkSignIn');
  if (!flow.link) throw new Error('linkSignIn returned no link');
  return flow.link;
}

/** The Gmail inbox fixture signed in as `gmail`, whose newest email is TikTok's verification email with `code`. */
export function inboxWithCode(gmail: string, code: string): string {
  return readFileSync(path.join(FIXTURES_DIR, 'inbox.html'), 'utf8')
    .replaceAll(SEED_GMAIL, gmail)
    .replaceAll('123456', code)
    .replaceAll('no-reply@account.tiktok.com', 'register@account.tiktok.com');
}
