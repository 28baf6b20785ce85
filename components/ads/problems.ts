/** Messages people read for a username that breaks the rules, and for a failed service call. */
import { t } from '@/utils/i18n';
import type { ResultError } from '@/utils/messaging/catalogue';
import type { UsernameProblem } from './username';

export function usernameProblemText(problem: UsernameProblem): string {
  switch (problem.kind) {
    case 'empty':
      return t('ads_username_empty');
    case 'too_short':
      return t('ads_username_too_short');
    case 'too_long':
      return t('ads_username_too_long', problem.length);
    case 'invalid_char':
      return t('ads_username_invalid_char', problem.char === ' ' ? t('ads_char_space') : problem.char);
    case 'ends_with_dot':
      return t('ads_username_ends_with_dot');
  }
}

/** The service's message is already written for people; a few codes get a clearer local sentence. */
export function errorText(error: ResultError): string {
  switch (error.code) {
    case 'not_linked':
    case 'access_token_invalid':
      return t('ads_error_not_linked');
    case 'unreachable':
      return t('ads_error_unreachable');
    case 'invalid_username':
      return t('ads_error_invalid_username');
    default:
      return error.message;
  }
}
