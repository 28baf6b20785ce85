/**
 * The service's refusals: `ServiceError` carries an API error code (../shared/service-api.md) and what the envelope
 * adds to it; `fromTikTok` maps the TikTok port's error vocabulary onto the API's codes.
 */
import type { ErrorCode } from '../api/schemas';
import { TikTokError, type TikTokErrorCode } from './ports';

export type ServiceErrorCode = Exclude<ErrorCode, 'ok'>;
export interface ErrorExtra {
  retry_after_s?: number;
  details?: Record<string, unknown>;
}

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly extra: ErrorExtra = {},
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

/** `invalid_params` naming the field. */
export const invalidField = (field: string, message: string, details: Record<string, unknown> = {}) =>
  new ServiceError('invalid_params', message, { details: { field, ...details } });

const TIKTOK_TO_API: Record<TikTokErrorCode, ServiceErrorCode> = {
  access_denied: 'permission_denied',
  invalid_grant: 'invalid_params',
  token_expired: 'reauth_required',
  reauth_required: 'reauth_required',
  scope_not_authorized: 'scope_not_authorized',
  not_found: 'not_found',
  invalid_username: 'invalid_username',
  not_supported: 'not_supported',
  text_too_long: 'text_too_long',
  reply_window_expired: 'reply_window_expired',
  message_quota_exceeded: 'message_quota_exceeded',
  rate_limited: 'rate_limit_exceeded',
  unavailable: 'upstream_error',
  unknown_outcome: 'upstream_error',
};

/** A TikTok port failure as the API error the client sees (anything else is rethrown as is). */
export function fromTikTok(e: unknown): unknown {
  if (!(e instanceof TikTokError)) return e;
  return new ServiceError(TIKTOK_TO_API[e.code], e.message, e.extra);
}
