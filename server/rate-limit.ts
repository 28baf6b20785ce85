/**
 * Rate limits on every service API call (issue 17), answered like any refusal of the core: HTTP 429,
 * `rate_limit_exceeded`, `retry_after_s` and `Retry-After`.
 *
 * - Per client IP and per session token (its SHA-256, never the token): a token bucket per key
 *   (`RATE_LIMIT_IP`, `RATE_LIMIT_SESSION` per minute), one bucket for all instances on one database, decided from
 *   each instance's memory and shared through the database in batches (./rate-counters.ts says how, and the bound).
 * - The calls that send a code email (`link/start`, `link/resend`) are the strictest and are counted in the database
 *   so every instance sees the same count: a fixed one-hour window per client IP, taken with one atomic
 *   `INSERT … ON CONFLICT DO UPDATE … RETURNING` (`RATE_LIMIT_CODES`). The core adds its own per-address limit.
 *
 * The client IP is the socket's address, or behind a reverse proxy (`TRUST_PROXY=true`) the last address of
 * `X-Forwarded-For` (the one the proxy itself appended; the ones before it are the client's to write).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';
import { HOUR, RateCounters } from './rate-counters';

interface RateLimits {
  ipPerMinute: number;
  sessionPerMinute: number;
  codesPerHour: number;
}

const CODE_CALLS = new Set(['/v1/link/start', '/v1/link/resend']);

function clientIp(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const last = c.req.header('x-forwarded-for')?.split(',').pop()?.trim();
    if (last) return last;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

function limited(c: Context, retryAfterS: number, what: string) {
  const error = {
    code: 'rate_limit_exceeded',
    message: `Too many ${what}. Try again in ${retryAfterS} seconds.`,
    log_id: randomBytes(12).toString('hex').toUpperCase(),
    retry_after_s: retryAfterS,
  };
  return c.json({ data: null, error }, 429, { 'retry-after': String(retryAfterS) });
}

/** The middleware for `/v1/*` (IP, then session, then for code-sending calls the hourly count per IP), and its stop. */
export function rateLimit(opts: {
  limits: RateLimits;
  trustProxy: boolean;
  db: Db;
  now: () => number;
  log: (line: string) => void;
}): { middleware: MiddlewareHandler; stop: () => Promise<void> } {
  const counters = new RateCounters(opts.db, opts.now, opts.log);
  const middleware: MiddlewareHandler = async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const ip = clientIp(c, opts.trustProxy);
    const byIp = await counters.take(`ip:${ip}`, opts.limits.ipPerMinute);
    if (byIp) return limited(c, byIp, 'requests from this address');
    const token = c.req
      .header('authorization')
      ?.match(/^Bearer\s+(.+)$/i)?.[1]
      ?.trim();
    const bySession = token ? await counters.take(`session:${sha256(token)}`, opts.limits.sessionPerMinute) : 0;
    if (bySession) return limited(c, bySession, 'requests with this session');
    if (c.req.method === 'POST' && CODE_CALLS.has(c.req.path)) {
      const { count, endsAt } = await counters.countInWindow(`codes:${ip}`, HOUR);
      if (count > opts.limits.codesPerHour)
        return limited(
          c,
          Math.max(1, Math.ceil((endsAt - opts.now()) / 1000)),
          'code emails requested from this address',
        );
    }
    return next();
  };
  return { middleware, stop: () => counters.stop() };
}
