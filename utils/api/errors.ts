import type { ResultError } from '../messaging/catalogue';

/** A failure with a machine code (a service error code or a local one) and a message for people. */
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly extra: {
      status?: number;
      retry_after_s?: number;
      details?: Record<string, unknown>;
      log_id?: string;
    } = {},
  ) {
    super(message);
    this.name = 'AppError';
  }

  toResult(): ResultError {
    const { retry_after_s, details } = this.extra;
    return {
      code: this.code,
      message: this.message,
      ...(retry_after_s !== undefined && { retry_after_s }),
      ...(details !== undefined && { details }),
    };
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;
