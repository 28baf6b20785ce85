/**
 * Proving the Gmail address: `link/start` emails a 6-digit code (10 minutes, at most 5 starts per address per hour),
 * `link/resend` after a 60 s cooldown, `link/verify` with 5 attempts before a 15-minute lock; a right code ends the
 * verification with a 30-day session.
 */
import { LinkResendBody, LinkStartBody, LinkVerifyBody } from '../api/schemas';
import { isEmailAddress } from '../gmail-address';
import { codeEmail } from './code-email';
import { type Ctx, iso, newId, parseBody, route, type Route } from './context';
import { invalidField, ServiceError } from './errors';
import type { Millis, VerificationRecord } from './ports';

export const CODE_TTL_MS = 10 * 60_000;
export const RESEND_COOLDOWN_MS = 60_000;
export const MAX_ATTEMPTS = 5;
export const LOCK_MS = 15 * 60_000;
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** `link/start` calls per email address per hour before `rate_limit_exceeded`. */
export const STARTS_PER_HOUR = 5;
const HOUR = 3_600_000;

export function normaliseEmail(raw: string): string {
  const email = raw.replace(/^[ \t]+|[ \t]+$/g, ''); // surrounding spaces only; inner spaces are invalid
  if (!isEmailAddress(email))
    throw new ServiceError('invalid_email', `"${raw}" is not a valid email address.`, { details: { field: 'email' } });
  return email.toLowerCase();
}

export function verificationView(v: VerificationRecord) {
  return {
    verification_id: v.verification_id,
    email: v.email,
    status: v.status,
    expires_at: iso(v.expires_at),
    resend_after: iso(v.resend_after),
    attempts_left: v.attempts_left,
  };
}

const secondsUntil = (now: Millis, t: Millis) => Math.max(1, Math.ceil((t - now) / 1000));

const sendCode = (ctx: Ctx, v: VerificationRecord) =>
  ctx.mailer.send(codeEmail(v.email, v.code, v.email.split('@')[0]!, CODE_TTL_MS / 60_000));

async function start(ctx: Ctx) {
  const email = normaliseEmail(parseBody(ctx, LinkStartBody).email);
  const { store, now } = ctx;
  const locked = await store.verifications.lockedFor(email, now);
  if (locked) {
    const retry_after_s = secondsUntil(now, locked.locked_until!);
    throw new ServiceError(
      'too_many_attempts',
      `Too many wrong codes for ${email}. Try again in ${retry_after_s} seconds.`,
      { retry_after_s },
    );
  }
  const oldest = await store.linkStarts.take({ email, at: now }, HOUR, STARTS_PER_HOUR);
  if (oldest !== null) {
    const retry_after_s = secondsUntil(now, oldest + HOUR);
    throw new ServiceError(
      'rate_limit_exceeded',
      `Too many codes sent to ${email}. Try again in ${retry_after_s} seconds.`,
      { retry_after_s },
    );
  }
  const v: VerificationRecord = {
    verification_id: newId(ctx, 'ver'),
    email,
    code: ctx.random.digits(6),
    status: 'code_sent',
    expires_at: now + CODE_TTL_MS,
    resend_after: now + RESEND_COOLDOWN_MS,
    attempts_left: MAX_ATTEMPTS,
    locked_until: null,
    created_at: now,
  };
  await sendCode(ctx, v);
  await store.verifications.put(v);
  return verificationView(v);
}

/** The verification (marked `expired` once past its time), or `not_found`. */
async function findVerification(ctx: Ctx, id: string, lock = false): Promise<VerificationRecord> {
  const v = await ctx.store.verifications.get(id, { lock });
  if (!v)
    throw new ServiceError('not_found', 'Unknown verification. Start again.', {
      details: { field: 'verification_id' },
    });
  if (v.status === 'code_sent' && v.expires_at <= ctx.now) {
    v.status = 'expired';
    await ctx.store.verifications.put(v);
  }
  return v;
}

function lockedError(ctx: Ctx, v: VerificationRecord) {
  const retry_after_s = secondsUntil(ctx.now, v.locked_until ?? ctx.now);
  return new ServiceError('too_many_attempts', `Too many wrong codes. Try again in ${retry_after_s} seconds.`, {
    retry_after_s,
  });
}

const alreadyDone = () => invalidField('verification_id', 'This verification is already complete.');

/**
 * A new code once the cooldown is over: the cooldown is taken with the row locked (parallel resends: one email), and
 * given back if the email cannot be sent.
 */
async function resend(ctx: Ctx) {
  const id = parseBody(ctx, LinkResendBody).verification_id;
  const { v, next } = await ctx.store.transaction(async (tx) => {
    const v = await findVerification({ ...ctx, store: tx }, id, true);
    if (v.status === 'locked') throw lockedError(ctx, v);
    if (v.status === 'verified') throw alreadyDone();
    if (ctx.now < v.resend_after) {
      const retry_after_s = secondsUntil(ctx.now, v.resend_after);
      throw new ServiceError('rate_limit_exceeded', `A new code can be sent in ${retry_after_s} seconds.`, {
        retry_after_s,
      });
    }
    const next: VerificationRecord = {
      ...v,
      code: ctx.random.digits(6),
      status: 'code_sent',
      expires_at: ctx.now + CODE_TTL_MS,
      resend_after: ctx.now + RESEND_COOLDOWN_MS,
    };
    await tx.verifications.put(next);
    return { v, next };
  });
  await sendCode(ctx, next).catch(async (e: unknown) => {
    await ctx.store.verifications.put(v);
    throw e;
  });
  return verificationView(next);
}

/** Checks the code with the verification row locked, so parallel guesses each count; the outcome is committed, then answered. */
async function verify(ctx: Ctx) {
  const body = parseBody(ctx, LinkVerifyBody);
  const outcome = await ctx.store.transaction(
    async (tx): Promise<{ refusal: ServiceError } | { v: VerificationRecord; token: string; expires_at: Millis }> => {
      const v = await findVerification({ ...ctx, store: tx }, body.verification_id, true);
      if (v.status === 'locked') return { refusal: lockedError(ctx, v) };
      if (v.status === 'expired')
        return { refusal: new ServiceError('code_expired', 'This code has expired. Start again to get a new one.') };
      if (v.status === 'verified') return { refusal: alreadyDone() };
      if (body.code.trim() !== v.code) {
        v.attempts_left = Math.max(0, v.attempts_left - 1);
        if (v.attempts_left === 0) {
          v.status = 'locked';
          v.locked_until = ctx.now + LOCK_MS;
        }
        await tx.verifications.put(v); // the attempt counts even though the call fails
        return {
          refusal:
            v.status === 'locked'
              ? new ServiceError('too_many_attempts', `Too many wrong codes. Try again in ${LOCK_MS / 1000} seconds.`, {
                  retry_after_s: LOCK_MS / 1000,
                })
              : new ServiceError('invalid_code', `That code is not right. ${v.attempts_left} attempts left.`, {
                  details: { attempts_left: v.attempts_left },
                }),
        };
      }
      v.status = 'verified';
      const token = `sess_${ctx.random.hex(16)}`;
      const expires_at = ctx.now + SESSION_TTL_MS;
      await tx.verifications.put(v);
      await tx.sessions.put({ token, gmail: v.email, expires_at, revoked: false });
      return { v, token, expires_at };
    },
  );
  if ('refusal' in outcome) throw outcome.refusal;
  return {
    session_token: outcome.token,
    session_expires_at: iso(outcome.expires_at),
    verification: verificationView(outcome.v),
  };
}

export const verificationRoutes: Route[] = [
  route('POST', '/v1/link/start', start),
  route('POST', '/v1/link/resend', resend),
  route('POST', '/v1/link/verify', verify),
];
