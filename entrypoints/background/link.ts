/**
 * The link flow behind the popup: Gmail address → emailed code → TikTok sign-in → link, then status, confirm and
 * unlink. Every step is stored in the vault per Gmail address, because the popup closes as soon as the user clicks
 * into Gmail (or the sign-in window opens) and must reopen where it left off.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { AppError, isAppError } from '@/utils/api/errors';
import type { Link } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { catalogue, LinkFlow, ResultError, type LinkState } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { vaultItem } from '@/utils/storage/vault';
import { assertMayActFor } from './gmail-reports';
import { clearSession, embeddedSandbox, linkOf, normaliseGmail, publicService, saveLink, saveSession, serviceFor, sessionOf } from './service';

const flowItem = (gmail: string) => vaultItem(`linkflow:${gmail}`, LinkFlow, () => freshFlow(gmail));
const freshFlow = (gmail: string): LinkFlow => ({ gmail, step: 'email', verification: null, link: null, error: null });

async function saveFlow(flow: LinkFlow): Promise<LinkFlow> {
  await flowItem(flow.gmail).set(flow);
  return flow;
}

/** Keeps the failure of a step in the flow (the popup may have closed while it ran), then rethrows it. */
async function failStep(gmail: string, e: unknown, patch: Partial<LinkFlow> = {}): Promise<never> {
  const error = isAppError(e) ? e.toResult() : ResultError.parse({ code: 'internal_error', message: String((e as Error)?.message ?? e) });
  await flowItem(gmail).update((flow) => ({ ...flow, ...patch, error: withRetryAt(error) }));
  throw e;
}

/**
 * A failure that says "retry in N s" (a locked code, a rate limit) is kept with the time that is (`details.retry_at`),
 * so a popup opened later shows the time really left, not the N seconds of when it happened.
 */
export function withRetryAt(error: ResultError, now = Date.now()): ResultError {
  if (error.retry_after_s === undefined || typeof error.details?.retry_at === 'string') return error;
  return { ...error, details: { ...error.details, retry_at: new Date(now + error.retry_after_s * 1000).toISOString() } };
}

/** The stored failure as of `now`: its `retry_after_s` is what is left until `details.retry_at` (0 once passed). */
export function errorAsOf(error: ResultError | null | undefined, now = Date.now()): ResultError | null {
  if (!error) return null;
  const at = typeof error.details?.retry_at === 'string' ? Date.parse(error.details.retry_at) : NaN;
  if (!Number.isFinite(at)) return error;
  return { ...error, retry_after_s: Math.max(0, Math.ceil((at - now) / 1000)) };
}

/* ---------------- the email address ---------------- */

const TYPO_DOMAINS: Record<string, string> = {
  'gmial.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'gmal.com': 'gmail.com',
  'gnail.com': 'gmail.com',
  'gmail.co': 'gmail.com',
  'gmail.con': 'gmail.com',
  'gmail.cm': 'gmail.com',
  'gmail.om': 'gmail.com',
  'gmaill.com': 'gmail.com',
  'googlemail.con': 'googlemail.com',
};

/**
 * Mail providers whose addresses are never Google accounts. Any other domain may be Google Workspace (that cannot be
 * told by its name), so it is accepted; the popup warns when it is not the account of the open Gmail tab.
 */
const NOT_GOOGLE = /^(outlook|hotmail|live|msn|yahoo|ymail|aol|icloud|me|mac|proton|protonmail|pm|gmx|web|mail|yandex|zoho|tutanota|fastmail|qq|163|naver)(\.[a-z]{2,3}){1,2}$/i;

/**
 * Checks a typed address the way the service does (surrounding spaces are trimmed, nothing else is fixed) and says
 * which part is wrong. Returns the trimmed address.
 */
export function checkEmail(raw: string): string {
  const email = raw.trim();
  const fail = (message: string, part: string) => {
    throw new AppError('invalid_email', message, { details: { field: 'email', part } });
  };
  if (!email) fail(t('link_err_email_empty'), '');
  const space = email.search(/\s/);
  if (space >= 0) fail(t('link_err_email_space', [email.slice(0, space) || '…']), email.slice(0, space));
  const at = email.split('@');
  if (at.length === 1) fail(t('link_err_email_no_at'), email);
  if (at.length > 2) fail(t('link_err_email_many_at'), email);
  const [local = '', domain = ''] = at;
  if (!local) fail(t('link_err_email_no_local'), '');
  if (!domain) fail(t('link_err_email_no_domain', local), '');
  if (/^\.|\.$|\.\./.test(local) || !/^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/.test(local)) fail(t('link_err_email_bad_local', local), local);
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(domain) || /(^|\.)-|-(\.|$)/.test(domain)) fail(t('link_err_email_bad_domain', domain), domain);
  const fix = TYPO_DOMAINS[domain.toLowerCase()];
  if (fix) fail(t('link_err_email_typo', [domain, `${local}@${fix}`]), domain);
  if (NOT_GOOGLE.test(domain)) fail(t('link_err_email_not_google', domain), domain);
  return email;
}

/* ---------------- the sign-in window ---------------- */

const CANCELLED = /did not approve|cancel|closed/i;

/** The TikTok sign-in in the browser's auth window; resolves with the URL it ended on. */
async function authWindow(authorizeUrl: string, state: string, gmail: string): Promise<string> {
  if (authorizeUrl.startsWith(browser.runtime.getURL('/'))) return sandboxSignInWindow(authorizeUrl, state, gmail);
  try {
    return await browser.identity.launchWebAuthFlow({ url: authorizeUrl, interactive: true });
  } catch (e) {
    const message = String((e as Error)?.message ?? e);
    if (CANCELLED.test(message)) throw new AppError('cancelled', t('link_err_cancelled'));
    throw new AppError('unreachable', t('link_err_signin_failed', message));
  }
}

/**
 * Chromium's launchWebAuthFlow refuses chrome-extension:// URLs ("Only http:// and https:// schemes are allowed"),
 * so the embedded sandbox's sign-in page opens in a popup window (a tab without windows) and reports its decision
 * with `sandboxSignInDecide`.
 */
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
const openSignInsItem = vaultItem('link:sandbox-signins', z.record(z.string(), z.object({ gmail: z.string(), windowId: z.number().nullable() })), () => ({}));
const forgetSignIn = (state: string) => openSignInsItem.update(({ [state]: _done, ...rest }) => rest);

function sandboxSignInWindow(authorizeUrl: string, state: string, gmail: string): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const pending: PendingSignIn = {
      gmail,
      windowId: null,
      decide: async (username) => {
        const decided = await sandboxControlCall('oauth/decide', { state, username });
        resolve(z.object({ redirect_url: z.string() }).parse(decided).redirect_url);
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
      open: async (url: string) => (await browser.windows.create({ url, type: 'popup', width: 480, height: 680 })).id ?? null,
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

/** `oauth/complete` with the URL the sign-in ended on; the link is saved and the flow is done. */
async function finishSignIn(gmail: string, flow: LinkFlow, state: string, callbackUrl: string): Promise<LinkFlow> {
  let link: Link;
  try {
    link = await (await serviceFor(gmail)).oauthComplete(state, callbackUrl);
  } catch (e) {
    const denied = new URL(callbackUrl).searchParams.get('error') === 'access_denied';
    if (isAppError(e) && (denied || e.extra.details?.reason === 'access_denied')) throw new AppError('denied', t('link_err_denied'));
    throw e;
  }
  await saveLink(gmail, link);
  lastChecked.set(gmail, Date.now());
  return saveFlow({ ...flow, step: 'linked', link, error: null });
}

/* ---------------- status ---------------- */

const REFRESH_MS = 60_000;
const lastChecked = new Map<string, number>();

function healthOf(link: Link | null): LinkState['health'] {
  if (!link || link.status === 'revoked') return 'unlinked';
  return link.status === 'reauth_required' ? 'reauth_required' : 'ok';
}

/** Re-reads the link from the service; a lost session or a revoked link leaves the Gmail address unlinked. */
async function refreshLink(gmail: string): Promise<LinkState> {
  const cached = await linkOf(gmail);
  if (!cached) return { gmail, link: null, health: 'unlinked' };
  try {
    const link = await (await serviceFor(gmail)).getLink(cached.link_id);
    lastChecked.set(gmail, Date.now());
    if (link.status === 'revoked') return forget(gmail);
    await saveLink(gmail, link);
    await flowItem(gmail).update((flow) => ({ ...flow, step: 'linked', link }));
    return { gmail, link, health: healthOf(link) };
  } catch (e) {
    if (isAppError(e) && e.code === 'reauth_required') {
      const link = { ...cached, status: 'reauth_required' as const };
      await saveLink(gmail, link);
      return { gmail, link, health: 'reauth_required' };
    }
    if (isAppError(e) && ['access_token_invalid', 'not_linked', 'not_found'].includes(e.code)) return forget(gmail);
    if (isAppError(e) && e.code === 'unreachable') return { gmail, link: cached, health: 'unreachable' };
    throw e;
  }
}

async function forget(gmail: string): Promise<LinkState> {
  await saveLink(gmail, null);
  await clearSession(gmail);
  await flowItem(gmail).remove();
  return { gmail, link: null, health: 'unlinked' };
}

/* ---------------- handlers ---------------- */

export const handlers: Handlers = {
  linkFlow: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    const flow = await flowItem(key).get();
    const link = await linkOf(key);
    if (link && link.status !== 'revoked') return { ...flow, step: 'linked', link };
    return flow.step === 'linked' ? freshFlow(key) : { ...flow, error: errorAsOf(flow.error) };
  },

  linkStart: async ({ gmail }) => {
    const email = checkEmail(gmail);
    const key = normaliseGmail(email);
    // "Change address" does not skip the Resend countdown of the code sent a moment ago.
    const wait = Math.ceil((Date.parse((await flowItem(key).get()).next_code_at ?? '') - Date.now()) / 1000);
    if (wait > 0) throw new AppError('rate_limit_exceeded', t('link_err_resend_wait', wait), { retry_after_s: wait, details: { reason: 'resend_cooldown' } });
    try {
      const verification = await (await publicService()).linkStart(email);
      return saveFlow({ gmail: key, step: 'code', verification, link: null, error: null, code_sent_at: new Date().toISOString() });
    } catch (e) {
      return failStep(key, e);
    }
  },

  linkResend: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    const flow = await flowItem(key).get();
    if (!flow.verification) throw new AppError('not_found', t('link_err_no_code_yet'));
    const wait = Math.ceil((Date.parse(flow.verification.resend_after) - Date.now()) / 1000);
    if (wait > 0) throw new AppError('rate_limit_exceeded', t('link_err_resend_wait', wait), { retry_after_s: wait });
    try {
      const verification = await (await publicService()).linkResend(flow.verification.verification_id);
      return saveFlow({ ...flow, step: 'code', verification, error: null, code_sent_at: new Date().toISOString() });
    } catch (e) {
      return failStep(key, e);
    }
  },

  linkVerify: async ({ gmail, code }) => {
    const key = normaliseGmail(gmail);
    const flow = await flowItem(key).get();
    if (!flow.verification) throw new AppError('not_found', t('link_err_no_code_yet'));
    const digits = code.replace(/[\s-]/g, '');
    if (!/^\d{6}$/.test(digits)) throw new AppError('invalid_code', t('link_err_code_format'));
    try {
      const result = await (await publicService()).linkVerify(flow.verification.verification_id, digits);
      await saveSession(key, { token: result.session_token, expires_at: result.session_expires_at });
      return saveFlow({ ...flow, step: 'signin', verification: result.verification, error: null });
    } catch (e) {
      if (!isAppError(e)) throw e;
      const v = flow.verification;
      const left = Number(e.extra.details?.attempts_left);
      if (e.code === 'invalid_code' && Number.isFinite(left)) return failStep(key, e, { verification: { ...v, attempts_left: left } });
      if (e.code === 'code_expired') return failStep(key, e, { verification: { ...v, status: 'expired' } });
      if (e.code === 'too_many_attempts') return failStep(key, e, { verification: { ...v, status: 'locked', attempts_left: 0 } });
      return failStep(key, e);
    }
  },

  linkSignIn: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    const flow = await flowItem(key).get();
    try {
      const service = await serviceFor(key);
      const started = await service.oauthStart(browser.identity.getRedirectURL('tiktok'));
      const callbackUrl = await authWindow(started.authorize_url, started.state, key);
      return await finishSignIn(key, flow, started.state, callbackUrl);
    } catch (e) {
      return failStep(key, e);
    }
  },

  /** Health for the popup and the Gmail content script; never a secret. */
  linkState: async ({ gmail }, sender) => {
    await assertMayActFor(sender, gmail);
    const key = normaliseGmail(gmail);
    const cached = await linkOf(key);
    if (!cached || Date.now() - (lastChecked.get(key) ?? 0) < REFRESH_MS) return { gmail: key, link: cached, health: healthOf(cached) };
    return refreshLink(key);
  },

  linkConfirm: async ({ gmail }) => refreshLink(normaliseGmail(gmail)),

  linkCancel: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    if (!(await linkOf(key))) await clearSession(key);
    // Back to step 1, keeping what still holds for the address: the Resend countdown and a limit on new codes.
    const { verification, error } = await flowItem(key).get();
    const resendAfter = verification?.status === 'code_sent' ? verification.resend_after : '';
    const limit = error?.code === 'rate_limit_exceeded' ? errorAsOf(error) : null;
    const next = { ...freshFlow(key), error: limit?.retry_after_s ? limit : null, ...(Date.parse(resendAfter) > Date.now() && { next_code_at: resendAfter }) };
    if (next.error || next.next_code_at) await saveFlow(next);
    else await flowItem(key).remove();
    return { ok: true };
  },

  unlink: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    const link = await linkOf(key);
    if (link && (await sessionOf(key))) {
      try {
        await (await serviceFor(key)).deleteLink(link.link_id);
      } catch (e) {
        // A link the service no longer knows (or a session it ended) is already gone there; anything else is retried.
        if (!(isAppError(e) && ['not_found', 'access_token_invalid', 'not_linked'].includes(e.code))) throw e;
      }
    }
    return forget(key);
  },

  /** The embedded sandbox's sign-in page: which Gmail is signing in and the sandbox accounts it may choose. */
  sandboxSignInInfo: async ({ state }) => {
    const gmail = pendingSignIns.get(state)?.gmail ?? (await openSignInsItem.get())[state]?.gmail;
    if (!gmail) throw new AppError('not_found', t('link_err_signin_gone'));
    const { accounts } = SignInAccounts.parse(await sandboxControlCall(`oauth/accounts?state=${encodeURIComponent(state)}`, null, 'GET'));
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
      const { redirect_url } = z.object({ redirect_url: z.string() }).parse(await sandboxControlCall('oauth/decide', { state, username }));
      // A failure (denied, email mismatch...) is kept in the flow, where the popup shows it when it opens again.
      await finishSignIn(gmail, await flowItem(gmail).get(), state, redirect_url).catch((e: unknown) => failStep(gmail, e).catch(() => undefined));
    }
    const windowId = pending?.windowId ?? open?.windowId ?? null;
    if (windowId !== null) await signInSurface().close(windowId).catch(() => undefined);
    return { ok: true };
  },
};

const SignInAccounts = catalogue.sandboxSignInInfo.response.pick({ accounts: true });
