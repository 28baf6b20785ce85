/**
 * The embedded sandbox's TikTok sign-in. Chromium's launchWebAuthFlow refuses chrome-extension:// URLs ("Only http://
 * and https:// schemes are allowed"), so the sandbox's sign-in page (`sandbox-signin.html`) opens in a popup window (a
 * tab without windows) and reports its decision with `sandboxSignInDecide`. Open sign-in windows are kept in the vault,
 * so a decision made after the worker restarted still finishes the link.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { AppError } from '@/utils/api/errors';
import { t } from '@/utils/i18n';
import { catalogue } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { vaultItem } from '@/utils/storage/vault';
import { failStep, flowItem } from './link-flow-store';
import { finishSignIn } from './link-status';
import { embeddedSandbox } from './service';

interface PendingSignIn {
  gmail: string;
  /** The sign-in window (or tab, see `signInSurface`). */
  windowId: number | null;
  decide(username: string | null): Promise<void>;
  cancel(): void;
}
const pendingSignIns = new Map<string, PendingSignIn>();
/**
 * Open sandbox sign-in windows (OAuth state → Gmail address), kept in the vault: the worker may be stopped while the
 * user reads the consent page, and the decision then finishes the sign-in by itself.
 */
const openSignInsItem = vaultItem(
  'link:sandbox-signins',
  z.record(z.string(), z.object({ gmail: z.string(), windowId: z.number().nullable() })),
  () => ({}),
);
const forgetSignIn = (state: string) => openSignInsItem.update(({ [state]: _done, ...rest }) => rest);
/** The sandbox's answer to a decision: where the sign-in ends. */
const Decided = z.object({ redirect_url: z.string() });

/** Opens the sandbox sign-in page for `gmail`; resolves with the URL the sign-in ended on. */
export function sandboxSignInWindow(authorizeUrl: string, state: string, gmail: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const pending: PendingSignIn = {
      gmail,
      windowId: null,
      decide: async (username) => {
        const decided = await sandboxControlCall('oauth/decide', { state, username });
        resolve(Decided.parse(decided).redirect_url);
      },
      cancel: () => reject(new AppError('cancelled', t('link_err_cancelled'))),
    };
    pendingSignIns.set(state, pending);
    const surface = signInSurface();
    const stopWatching = surface.onClosed((id) => {
      if (id !== pending.windowId) return;
      stopWatching();
      void forgetSignIn(state);
      if (pendingSignIns.delete(state)) pending.cancel();
    });
    void surface
      .open(authorizeUrl)
      .then(async (id) => {
        pending.windowId = id;
        await openSignInsItem.update((all) => ({ ...all, [state]: { gmail, windowId: id } }));
      })
      .catch((e: unknown) => {
        pendingSignIns.delete(state);
        reject(new AppError('unreachable', t('link_err_signin_failed', String((e as Error)?.message ?? e))));
      });
  });
}

/** Where the sandbox sign-in page opens: a small popup window, or a tab where there are no windows (Firefox for Android). */
function signInSurface() {
  if (browser.windows) {
    return {
      open: async (url: string) =>
        (await browser.windows.create({ url, type: 'popup', width: 480, height: 680 })).id ?? null,
      close: (id: number) => browser.windows.remove(id),
      onClosed: (listener: (id: number) => void) => {
        browser.windows.onRemoved.addListener(listener);
        return () => browser.windows.onRemoved.removeListener(listener);
      },
    };
  }
  return {
    open: async (url: string) => (await browser.tabs.create({ url })).id ?? null,
    close: (id: number) => browser.tabs.remove(id),
    onClosed: (listener: (id: number) => void) => {
      const onRemoved = (id: number) => listener(id);
      browser.tabs.onRemoved.addListener(onRemoved);
      return () => browser.tabs.onRemoved.removeListener(onRemoved);
    },
  };
}

/** A `/sandbox/<action>` control of the embedded sandbox. */
async function sandboxControlCall(action: string, body: unknown, method = 'POST'): Promise<unknown> {
  const sandbox = await embeddedSandbox();
  if (!sandbox) throw new AppError('not_found', t('link_err_not_sandbox'));
  const res = await sandbox.handle(
    new Request(`https://sandbox.invalid/sandbox/${action}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(method === 'POST' && { body: JSON.stringify(body) }),
    }),
  );
  const json = (await res.json()) as { data?: unknown; error?: { code: string; message: string } };
  if (json.error && json.error.code !== 'ok') throw new AppError(json.error.code, json.error.message);
  return json.data ?? json;
}

export const handlers: Handlers = {
  /** The embedded sandbox's sign-in page: which Gmail is signing in and the sandbox accounts it may choose. */
  sandboxSignInInfo: async ({ state }) => {
    const gmail = pendingSignIns.get(state)?.gmail ?? (await openSignInsItem.get())[state]?.gmail;
    if (!gmail) throw new AppError('not_found', t('link_err_signin_gone'));
    const { accounts } = SignInAccounts.parse(
      await sandboxControlCall(`oauth/accounts?state=${encodeURIComponent(state)}`, null, 'GET'),
    );
    return { gmail, accounts };
  },

  sandboxSignInDecide: async ({ state, username }) => {
    const pending = pendingSignIns.get(state);
    const open = (await openSignInsItem.get())[state];
    if (!pending && !open) throw new AppError('not_found', t('link_err_signin_gone'));
    pendingSignIns.delete(state);
    await forgetSignIn(state);
    if (pending) await pending.decide(username);
    else {
      // The worker was restarted since the window opened: nobody waits for the decision, so finish the sign-in here.
      const gmail = open!.gmail;
      const { redirect_url } = Decided.parse(await sandboxControlCall('oauth/decide', { state, username }));
      // A failure (denied, email mismatch...) is kept in the flow, where the popup shows it when it opens again.
      await finishSignIn(gmail, await flowItem(gmail).get(), state, redirect_url).catch((e: unknown) =>
        failStep(gmail, e).catch(() => undefined),
      );
    }
    const windowId = pending?.windowId ?? open?.windowId ?? null;
    if (windowId !== null)
      await signInSurface()
        .close(windowId)
        .catch(() => undefined);
    return { ok: true };
  },
};

const SignInAccounts = catalogue.sandboxSignInInfo.response.pick({ accounts: true });
