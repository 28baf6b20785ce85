/**
 * Rate limits on every service API call (issue 17), answered like any refusal of the core: HTTP 429,
 * `rate_limit_exceeded`, `retry_after_s` and `Retry-After`.
 *
 * - Per client IP and per session token (its SHA-256, never the token): a token bucket per key in this instance's
 *   memory, refilled continuously (`RATE_LIMIT_IP`, `RATE_LIMIT_SESSION` per minute). Each instance counts its own,
 *   so N instances allow up to N times as much: these limits only keep one client from taking an instance.
 * - The calls that send a code email (`link/start`, `link/resend`) are the strictest and are counted in the database
 *   so every instance sees the same count: a fixed one-hour window per client IP, taken with one atomic
 *   `INSERT … ON CONFLICT DO UPDATE … RETURNING` (`RATE_LIMIT_CODES`). The core adds its own per-address limit.
 *
 * The client IP is the socket's address, or behind a reverse proxy (`TRUST_PROXY=true`) the last address of
 * `X-Forwarded-For` (the one the proxy itself appended; the ones before it are the client's to write).
 */
import { getConnInfo } from '@hono/node-server/conninfo';
import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from './db';
import * as t from './db/schema';

interface RateLimits {
  ipPerMinute: number;
  sessionPerMinute: number;
  codesPerHour: number;
}

const CODE_CALLS = new Set(['/v1/link/start', '/v1/link/resend']);
const HOUR = 3_600_000;
const MAX_KEYS = 100_000;

/** Token buckets in memory: `take` answers 0 (allowed) or the seconds until one call is allowed again. */
class Buckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  take(key: string, perMinute: number): number {
    const now = this.now();
    const rate = perMinute / 60_000;
    const b = this.buckets.get(key) ?? { tokens: perMinute, at: now };
    b.tokens = Math.min(perMinute, b.tokens + (now - b.at) * rate);
    b.at = now;
    if (this.buckets.size >= MAX_KEYS && !this.buckets.has(key)) this.prune(now);
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - b.tokens) / rate / 1000));
  }

  /** Forgets buckets untouched for a minute: they have refilled, so they hold nothing a new bucket would not. */
  private prune(now: number) {
    for (const [k, b] of this.buckets) if (now - b.at >= 60_000) this.buckets.delete(k);
  }
}

/** One more call in `key`'s current window of `windowMs`, counted atomically in the database: the count so far and when the window ends. */
async function countInWindow(
  db: Db,
  key: string,
  now: number,
  windowMs: number,
): Promise<{ count: number; endsAt: number }> {
  const start = now - (now % windowMs);
  const rows = await db
    .insert(t.rateLimits)
    .values({ key, window_start: start, count: 1 })
    .onConflictDoUpdate({
      target: t.rateLimits.key,
      set: {
        count: sql`case when ${t.rateLimits.window_start} = excluded.window_start then ${t.rateLimits.count} + 1 else 1 end`,
        window_start: sql`excluded.window_start`,
      },
    })
    .returning({ count: t.rateLimits.count, window_start: t.rateLimits.window_start });
  return { count: rows[0]!.count, endsAt: rows[0]!.window_start + windowMs };
}

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

/** The middleware for `/v1/*`: IP, then session, then (code-sending calls) the shared hourly count per IP. */
export function rateLimit(opts: { limits: RateLimits; trustProxy: boolean; db: Db }): MiddlewareHandler {
  const now = Date.now;
  const buckets = new Buckets(now);
  return async (c, next) => {
    if (c.req.method === 'OPTIONS') return next();
    const ip = clientIp(c, opts.trustProxy);
    const byIp = buckets.take(`ip:${ip}`, opts.limits.ipPerMinute);
    if (byIp) return limited(c, byIp, 'requests from this address');
    const token = c.req
      .header('authorization')
      ?.match(/^Bearer\s+(.+)$/i)?.[1]
      ?.trim();
    const bySession = token ? buckets.take(`session:${sha256(token)}`, opts.limits.sessionPerMinute) : 0;
    if (bySession) return limited(c, bySession, 'requests with this session');
    if (c.req.method === 'POST' && CODE_CALLS.has(c.req.path)) {
      const at = now();
      const { count, endsAt } = await countInWindow(opts.db, `codes:${ip}`, at, HOUR);
      if (count > opts.limits.codesPerHour)
        return limited(c, Math.max(1, Math.ceil((endsAt - at) / 1000)), 'code emails requested from this address');
    }
    return next();
  };
}
