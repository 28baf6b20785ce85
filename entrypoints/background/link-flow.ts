/**
 * The link flow behind the popup: Gmail address → emailed code → TikTok sign-in → link. Every step is stored in the
 * vault per Gmail address (`link-flow-store.ts`), because the popup closes as soon as the user clicks into Gmail (or
 * the sign-in window opens) and must reopen where it left off. What follows the link is `link-status.ts`.
 */
import browser from 'webextension-polyfill';
import { AppError, isAppError } from '@/utils/api/errors';
import { gmailAddressProblem, normaliseGmail } from '@/utils/gmail-address';
import { t } from '@/utils/i18n';
import type { Handlers } from '@/utils/messaging/router';
import { errorAsOf, failStep, flowItem, freshFlow, saveFlow } from './link-flow-store';
import { finishSignIn } from './link-status';
import { sandboxSignInWindow } from './sandbox-signin';
import { clearSession, linkOf, publicService, saveSession, serviceFor } from './service';

/**
 * Checks a typed address the way the service does (surrounding spaces are trimmed, nothing else is fixed) and says
 * which part is wrong. Returns the trimmed address.
 */
export function checkEmail(raw: string): string {
  const problem = gmailAddressProblem(raw);
  if (problem)
    throw new AppError('invalid_email', t(problem.message, problem.subs), {
      details: { field: 'email', part: problem.part },
    });
  return raw.trim();
}

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
    if (wait > 0)
      throw new AppError('rate_limit_exceeded', t('link_err_resend_wait', wait), {
        retry_after_s: wait,
        details: { reason: 'resend_cooldown' },
      });
    try {
      const verification = await (await publicService()).linkStart(email);
      return saveFlow({
        gmail: key,
        step: 'code',
        verification,
        link: null,
        error: null,
        code_sent_at: new Date().toISOString(),
      });
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
      if (e.code === 'invalid_code' && Number.isFinite(left))
        return failStep(key, e, { verification: { ...v, attempts_left: left } });
      if (e.code === 'code_expired') return failStep(key, e, { verification: { ...v, status: 'expired' } });
      if (e.code === 'too_many_attempts')
        return failStep(key, e, { verification: { ...v, status: 'locked', attempts_left: 0 } });
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

  linkCancel: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    if (!(await linkOf(key))) await clearSession(key);
    // Back to step 1, keeping what still holds for the address: the Resend countdown and a limit on new codes.
    const { verification, error } = await flowItem(key).get();
    const resendAfter = verification?.status === 'code_sent' ? verification.resend_after : '';
    const limit = error?.code === 'rate_limit_exceeded' ? errorAsOf(error) : null;
    const next = {
      ...freshFlow(key),
      error: limit?.retry_after_s ? limit : null,
      ...(Date.parse(resendAfter) > Date.now() && { next_code_at: resendAfter }),
    };
    if (next.error || next.next_code_at) await saveFlow(next);
    else await flowItem(key).remove();
    return { ok: true };
  },
};
