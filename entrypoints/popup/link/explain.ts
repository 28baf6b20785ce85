/** Every failure of the link flow as its own message for people, and the way forward the popup offers. */
import { t, tn } from '@/utils/i18n';
import type { LinkFlow, ResultError } from '@/utils/messaging/catalogue';

export type WayForward = 'retry' | 'restart' | 'signin' | null;
export interface Explained {
  text: string;
  action: WayForward;
}

/** "4 min", "45 s": how long until a retry. */
export function duration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  return s >= 90 ? t('popup_minutes', Math.ceil(s / 60)) : t('popup_seconds', s);
}

/**
 * When a failure that says "retry in N s" can be retried: `details.retry_at` (kept by the worker with the flow), or
 * N seconds after `received` (the popup's clock when the answer came). Null for other failures.
 */
export function retryAt(error: ResultError, received: number): number | null {
  const at = typeof error.details?.retry_at === 'string' ? Date.parse(error.details.retry_at) : NaN;
  if (Number.isFinite(at)) return at;
  return error.retry_after_s === undefined ? null : received + error.retry_after_s * 1000;
}

/** The failure with `details.retry_at` set, so the time left can be counted down from it. */
export function stampRetryAt(error: ResultError, now: number): ResultError {
  const at = retryAt(error, now);
  if (at === null || typeof error.details?.retry_at === 'string') return error;
  return { ...error, details: { ...error.details, retry_at: new Date(at).toISOString() } };
}

/**
 * `now`: the popup's clock, to say how long is really left of a wait (and when it is over). `step`: where the user
 * is, so a message only talks about what that step shows (step 1 has no code boxes and no Resend).
 */
export function explain(
  error: ResultError,
  gmail: string,
  now = Date.now(),
  step: LinkFlow['step'] = 'code',
): Explained {
  const at = retryAt(error, now);
  const left = at === null ? 0 : (at - now) / 1000;
  const retryIn = duration(left);
  switch (error.code) {
    case 'invalid_email':
      return { text: error.message, action: null };
    case 'invalid_code': {
      const left = Number(error.details?.attempts_left);
      return { text: Number.isFinite(left) ? tn('popup_err_invalid_code_left', left) : error.message, action: null };
    }
    case 'code_expired':
      return { text: t('popup_err_code_expired'), action: 'restart' };
    case 'too_many_attempts':
      // Once the lock is over, a new code can be asked for straight away.
      if (at !== null && left <= 0)
        return {
          text: t(step === 'email' ? 'popup_err_lock_over_email' : 'popup_err_lock_over'),
          action: step === 'email' ? null : 'restart',
        };
      return { text: t('popup_err_too_many_attempts', retryIn), action: null };
    case 'rate_limit_exceeded':
      if (at !== null && left <= 0)
        return { text: t(step === 'email' ? 'popup_err_send_wait_over' : 'popup_err_wait_over'), action: null };
      if (step !== 'email') return { text: t('popup_err_resend_early', retryIn), action: null };
      return {
        text: t(
          error.details?.reason === 'resend_cooldown' ? 'popup_err_send_cooldown' : 'popup_err_send_limit',
          retryIn,
        ),
        action: null,
      };
    case 'cancelled':
      return { text: t('popup_err_cancelled'), action: 'signin' };
    case 'denied':
      return { text: t('popup_err_denied'), action: 'signin' };
    case 'email_mismatch':
      return {
        text:
          typeof error.details?.username === 'string'
            ? t('popup_err_email_mismatch_named', [`@${error.details.username}`, gmail])
            : t('popup_err_email_mismatch', gmail),
        action: 'signin',
      };
    case 'already_linked':
      return { text: t('popup_err_already_linked'), action: 'signin' };
    case 'reauth_required':
      return { text: t('popup_err_reauth'), action: 'signin' };
    case 'unreachable':
      return { text: t('popup_err_unreachable'), action: 'retry' };
    case 'not_linked':
    case 'access_token_invalid':
      return { text: t('popup_err_session_gone'), action: 'restart' };
    case 'permission_missing':
      return { text: t('popup_err_permission_missing'), action: null };
    default:
      return { text: t('popup_err_other', error.message), action: 'retry' };
  }
}
