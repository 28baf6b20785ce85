/**
 * The per-minute rate limits are one limit for all instances on one database (server/rate-counters.ts), not one per
 * instance: two instances on one PostgreSQL database, calls from one IP (then with one session from many IPs)
 * alternating between them, sequential and in parallel, are refused after the limit in total — within the bound the
 * design allows ((2N − 1)·q, q = 5 % of the limit, at least 1; plus what the bucket refills meanwhile).
 * Per-instance buckets would allow twice the limit. The database not answering: served within its 2 s timeout, by
 * each instance's own count. On PGlite (one instance) the same code: exactly the limit, the table pruned, and a
 * database failure on that path fails open to each instance's own count, logged once.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, stopPostgres, type Stack } from './harness';

afterAll(stopPostgres);

const IP_LIMIT = 20;
const SESSION_LIMIT = 10;
/** The bound with two instances: 3q over the limit (q = 1 for these limits), plus the tokens refilled in `ms`. */
const bound = (limit: number, ms: number) => limit + 3 + Math.ceil((ms * limit) / 60_000);

const call = (base: string, ip: string, token?: string) =>
  fetch(`${base}/v1/service`, {
    headers: { 'x-forwarded-for': ip, ...(token && { authorization: `Bearer ${token}` }) },
  });

async function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  const json = (await res.json()) as { error: { code: string; retry_after_s: number } };
  expect(json.error.code).toBe('rate_limit_exceeded');
  expect(json.error.retry_after_s).toBe(retryAfter);
}

describe('two instances on one PostgreSQL database share one limit', () => {
  let a: Stack;
  let b: Awaited<ReturnType<Stack['another']>>;
  const lines: string[] = [];
  beforeAll(async () => {
    a = await startStack({
      db: 'postgres',
      env: { RATE_LIMIT_IP: String(IP_LIMIT), RATE_LIMIT_SESSION: String(SESSION_LIMIT), TRUST_PROXY: 'true' },
      log: (l) => lines.push(l),
    });
    b = await a.another();
  });
  afterAll(async () => {
    await b?.stop();
    await a?.stop();
  });
  const base = (i: number) => (i % 2 ? b.url : a.url);

  it('one IP, calls alternating between the instances: refused after the limit in total, on both', async () => {
    const started = Date.now();
    const answers: Response[] = [];
    for (let i = 0; i < 2 * IP_LIMIT + 4; i++) answers.push(await call(base(i), '198.51.100.1'));
    const allowed = answers.filter((r) => r.status === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(IP_LIMIT);
    expect(allowed).toBeLessThanOrEqual(bound(IP_LIMIT, Date.now() - started)); // per instance: 2 × 20
    for (const r of answers.slice(-4)) await expectLimited(r); // the last two on each instance
    expect((await call(b.url, '198.51.100.99')).status).toBe(200); // another address is not held back
  });

  it('one IP, parallel calls spread over both instances: refused after the limit in total', async () => {
    const started = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 2 * IP_LIMIT + 4 }, (_, i) => call(base(i), '198.51.100.2')),
    );
    const allowed = answers.filter((r) => r.status === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(IP_LIMIT);
    expect(allowed).toBeLessThanOrEqual(bound(IP_LIMIT, Date.now() - started));
    await expectLimited(answers.find((r) => r.status !== 200)!);
  });

  it('one session from many IPs across the instances: refused after the limit in total; another session is not', async () => {
    const started = Date.now();
    const statuses = [];
    for (let i = 0; i < 2 * SESSION_LIMIT + 4; i++)
      statuses.push((await call(base(i), `192.0.2.${i + 1}`, 'sess_shared')).status);
    const allowed = statuses.filter((x) => x === 200).length;
    expect(allowed).toBeGreaterThanOrEqual(SESSION_LIMIT);
    expect(allowed).toBeLessThanOrEqual(bound(SESSION_LIMIT, Date.now() - started)); // per instance: 2 × 10
    expect(statuses.slice(-4)).toEqual([429, 429, 429, 429]);
    await expectLimited(await call(a.url, '192.0.2.200', 'sess_shared'));
    expect((await call(a.url, '192.0.2.201', 'sess_other')).status).toBe(200);
    expect((await call(b.url, '192.0.2.202', 'sess_other')).status).toBe(200);
  });

  it('the database not answering (its table locked): calls served after at most 2 s, by this instance alone', async () => {
    const locker = new pg.Client({ connectionString: a.env.DATABASE_URL });
    await locker.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table rate_buckets in access exclusive mode');
      const started = Date.now();
      const statuses = [];
      for (let i = 0; i < IP_LIMIT + 2; i++) statuses.push((await call(a.url, '198.51.100.7')).status);
      expect(Date.now() - started).toBeLessThan(6000);
      expect(statuses.filter((x) => x === 200)).toHaveLength(IP_LIMIT);
      expect(statuses.slice(-2)).toEqual([429, 429]);
      expect(
        lines.filter((l) => /^rate limits: the database failed \(no answer within 2000 ms\)/.test(l)),
      ).toHaveLength(1);
    } finally {
      await locker.query('rollback');
      await locker.end();
    }
    await eventually(async () => lines.some((l) => /^rate limits: the database answers again/.test(l)));
  });
});

describe('on PGlite, one instance', () => {
  const rows = async (s: Stack, table: string) =>
    (
      (await s.server.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n;

  it('exactly the limit; full buckets and ended windows pruned; a database failure fails open, logged once', async () => {
    const lines: string[] = [];
    const rateLimitClock = { offset: 0, now: () => Date.now() + rateLimitClock.offset };
    const s = await startStack({
      db: 'pglite',
      env: { RATE_LIMIT_IP: String(IP_LIMIT), TRUST_PROXY: 'true' },
      log: (l) => lines.push(l),
      server: { rateLimitClock },
    });
    try {
      const statuses = [];
      for (let i = 0; i < IP_LIMIT + 2; i++) statuses.push((await call(s.url, '198.51.100.3')).status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(IP_LIMIT);
      await fetch(`${s.url}/v1/link/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.4' },
        body: JSON.stringify({ email: 'alex@gmail.com' }),
      });
      await eventually(async () => (await rows(s, 'rate_buckets')) >= 2);
      expect(await rows(s, 'rate_limits')).toBe(1);

      rateLimitClock.offset += 2 * 3_600_000; // every bucket full again, the code-email window over: pruned within a minute
      await eventually(async () => (await rows(s, 'rate_buckets')) + (await rows(s, 'rate_limits')) === 0, 3000);
      rateLimitClock.offset -= 2 * 3_600_000;

      await s.server.database.db.execute(sql`drop table rate_buckets`);
      const open = [];
      for (let i = 0; i < IP_LIMIT + 2; i++) open.push((await call(s.url, '198.51.100.5')).status);
      await new Promise((r) => setTimeout(r, 600)); // a few failed batches
      expect(open.filter((x) => x === 200)).toHaveLength(IP_LIMIT); // this instance's own count still holds
      expect(open.slice(-2)).toEqual([429, 429]);
      expect(lines.filter((l) => l.startsWith('rate limits:'))).toHaveLength(1);
      expect(lines.find((l) => l.startsWith('rate limits:'))).toMatch(/database failed .*counts alone/);
    } finally {
      await s.stop();
    }
  });
});
