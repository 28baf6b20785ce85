/** Every failure of the link flow as its own message for people, and the way forward the popup offers. */
import { t } from '@/utils/i18n';
import type { ResultError } from '@/utils/messaging/catalogue';

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

export function explain(error: ResultError, gmail: string): Explained {
  const retryIn = duration(error.retry_after_s ?? 0);
  switch (error.code) {
    case 'invalid_email':
      return { text: error.message, action: null };
    case 'invalid_code': {
      const left = Number(error.details?.attempts_left);
      return { text: Number.isFinite(left) ? t('popup_err_invalid_code_left', left) : error.message, action: null };
    }
    case 'code_expired':
      return { text: t('popup_err_code_expired'), action: 'restart' };
    case 'too_many_attempts':
      return { text: t('popup_err_too_many_attempts', retryIn), action: null };
    case 'rate_limit_exceeded':
      return { text: t('popup_err_resend_early', retryIn), action: null };
    case 'cancelled':
      return { text: t('popup_err_cancelled'), action: 'signin' };
    case 'denied':
      return { text: t('popup_err_denied'), action: 'signin' };
    case 'email_mismatch':
      return { text: t('popup_err_email_mismatch', gmail), action: 'signin' };
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
