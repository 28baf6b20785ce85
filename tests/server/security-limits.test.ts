/**
 * The server's edges under attack (issue 17, security), on PostgreSQL:
 * - webhooks with a bad signature (many forms), a stale or future timestamp, an oversized body → refused and nothing
 *   stored; the same signed body replayed → one inbox row, one event;
 * - rate limits per client IP and per session on every call, the code-sending calls strictest and counted across two
 *   instances, answered `rate_limit_exceeded` with `Retry-After`; parallel `link/start` for one address and parallel
 *   `link/resend` send no more codes than the limits allow (they were raceable before);
 * - request body limits; CORS only for browser-extension origins, never credentials or cookies.
 */
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { apiAt, eventually, startStack, stopPostgres, type Stack } from './harness';

afterAll(stopPostgres);

const count = async (s: Stack, table: string) =>
  Number(
    (
      (await s.server.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as {
        rows: { n: number }[];
      }
    ).rows[0]!.n,
  );

describe('webhooks', () => {
  it('a bad signature, a stale or future time, an oversized body: refused, nothing stored; a replayed body stores nothing new', async () => {
    const s = await startStack({ db: 'postgres' });
    try {
      const maya = s.tiktok.addAccount({ username: 'maya.creates' });
      const { token } = await s.link('alex@gmail.com', 'maya.creates');
      const dm = s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'hello');
      const body = JSON.stringify(dm.webhook);
      const now = Math.floor(Date.now() / 1000);
      const good = s.tiktok.sign(body, now);
      const hex = good.split('s=')[1]!;
      const post = (b: string, signature?: string) =>
        fetch(`${s.url}/webhooks/tiktok`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...(signature !== undefined && { 'tiktok-signature': signature }),
          },
          body: b,
        });
      const refused: [string, string | undefined, string?][] = [
        ['no header', undefined],
        ['empty header', ''],
        ['other secret', s.tiktok.sign(body, now, 'not-the-client-secret')],
        ['one hex digit changed', `t=${now},s=${hex.slice(0, -1)}${hex.endsWith('0') ? '1' : '0'}`],
        ['truncated signature', `t=${now},s=${hex.slice(0, 32)}`],
        ['signature of another body', s.tiktok.sign(`${body} `, now)],
        ['body altered after signing', good, body.replace('hello', 'hellO')],
        ['time altered after signing', `t=${now + 1},s=${hex}`],
        ['non-numeric time', `t=abc,s=${hex}`],
        ['no time', `s=${hex}`],
        ['uppercase keys', `T=${now},S=${hex}`],
        ['stale by 310 s', s.tiktok.sign(body, now - 310)],
        ['from the future by 310 s', s.tiktok.sign(body, now + 310)],
        ['a day old', s.tiktok.sign(body, now - 86_400)],
      ];
      for (const [what, signature, other] of refused)
        expect((await post(other ?? body, signature)).status, what).toBe(401);
      expect(await count(s, 'webhook_inbox')).toBe(0);

      for (let i = 0; i < 3; i++) expect((await post(body, good)).status).toBe(200); // the very same delivery, replayed
      await eventually(async () =>
        (await s.api('GET', '/v1/events', undefined, { token })).data.items.some(
          (e: { type: string }) => e.type === 'message.received',
        ),
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(await count(s, 'webhook_inbox')).toBe(1);
      expect(
        (await s.api('GET', '/v1/events', undefined, { token })).data.items.filter(
          (e: { type: string }) => e.type === 'message.received',
        ),
      ).toHaveLength(1);

      // Oversized (another event, so a stored row would show; last, as the server closes that connection).
      const other = s.tiktok.incomingMessage(maya, { username: 'big.sender' }, 'big');
      const huge = JSON.stringify({ ...other.webhook, padding: 'x'.repeat(200_000) });
      expect((await post(huge, s.tiktok.sign(huge, now))).status).toBe(413);
      expect(await count(s, 'webhook_inbox')).toBe(1);
    } finally {
      await s.stop();
    }
  });
});

describe('rate limits, body limits, CORS', () => {
  it('per IP and per session on every call, with rate_limit_exceeded and Retry-After', async () => {
    const s = await startStack({
      db: 'postgres',
      env: { RATE_LIMIT_IP: '20', RATE_LIMIT_SESSION: '10', TRUST_PROXY: 'true' },
    });
    try {
      const from = (ip: string, token?: string) =>
        fetch(`${s.url}/v1/service`, {
          headers: { 'x-forwarded-for': `203.0.113.9, ${ip}`, ...(token && { authorization: `Bearer ${token}` }) },
        });
      const statuses = [];
      for (let i = 0; i < 22; i++) statuses.push((await from('198.51.100.1')).status);
      expect(statuses.filter((x) => x === 200)).toHaveLength(20);
      const limited = await from('198.51.100.1');
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const json = (await limited.json()) as { error: { code: string; retry_after_s: number } };
      expect(json.error.code).toBe('rate_limit_exceeded');
      expect(json.error.retry_after_s).toBe(Number(limited.headers.get('retry-after')));
      expect((await from('198.51.100.2')).status).toBe(200); // another address is not held back

      // One session, many addresses: held back after 10; another session is not.
      const bySession = [];
      for (let i = 0; i < 12; i++) bySession.push((await from(`192.0.2.${i + 1}`, 'sess_one')).status);
      expect(bySession.filter((x) => x === 429)).toHaveLength(2);
      expect((await from('192.0.2.100', 'sess_two')).status).toBe(200);
      // Every call, any route: an unknown one and a webhook-free API call count the same way.
      const unknown = [];
      for (let i = 0; i < 21; i++)
        unknown.push((await fetch(`${s.url}/v1/nope`, { headers: { 'x-forwarded-for': '198.51.100.3' } })).status);
      expect(unknown.at(-1)).toBe(429);
    } finally {
      await s.stop();
    }
  });

  it('code emails: strictest, per IP across two instances; parallel starts for one address and parallel resends send no extra code', async () => {
    const s = await startStack({ db: 'postgres', env: { RATE_LIMIT_CODES: '8', TRUST_PROXY: 'true' } });
    const b = await s.another();
    try {
      const start = (base: string, email: string, ip: string) =>
        fetch(`${base}/v1/link/start`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
          body: JSON.stringify({ email }),
        });
      const codeMails = () => s.smtp.mails.filter((m) => /is your verification code/.test(m.subject)).length;
      // 12 starts for 12 addresses from one IP, alternating between the instances: 8 pass.
      const answers = [];
      for (let i = 0; i < 12; i++)
        answers.push(await start(i % 2 ? b.url : s.url, `person${i}@gmail.com`, '198.51.100.7'));
      expect(answers.map((r) => r.status).filter((x) => x === 200)).toHaveLength(8);
      const refused = answers.at(-1)!;
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(60);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');

      // 20 parallel starts for one address from 20 addresses, on both instances: the core's 5 per hour hold.
      await eventually(async () => codeMails() === 8);
      const parallel = await Promise.all(
        Array.from({ length: 20 }, (_, i) => start(i % 2 ? b.url : s.url, 'target@gmail.com', `192.0.2.${i + 1}`)),
      );
      const ok = parallel.filter((r) => r.status === 200);
      expect(ok).toHaveLength(5);
      expect(parallel.filter((r) => r.status === 429)).toHaveLength(15);
      await eventually(async () => codeMails() === 13);

      // 10 parallel resends of one verification, past its cooldown: one new code.
      const v = (await ok[0]!.json()) as { data: { verification_id: string } };
      s.clock.offset += 61_000;
      const resends = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          apiAt(i % 2 ? b.url : s.url, 'POST', '/v1/link/resend', { verification_id: v.data.verification_id }),
        ),
      );
      s.clock.offset -= 61_000;
      expect(resends.filter((r) => r.status === 200)).toHaveLength(1);
      await eventually(async () => codeMails() === 14);
      await new Promise((r) => setTimeout(r, 500));
      expect(codeMails()).toBe(14);
    } finally {
      await b.stop();
      await s.stop();
    }
  });

  it('bodies over 64 kB are refused; CORS only for extension origins; no credentials, no cookies', async () => {
    const s = await startStack({ db: 'postgres' });
    try {
      const big = await fetch(`${s.url}/v1/link/start`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `${'a'.repeat(70_000)}@gmail.com` }),
      });
      expect(big.status).toBe(413);
      expect(((await big.json()) as { error: { code: string; details: { field: string } } }).error).toMatchObject({
        code: 'invalid_params',
        details: { field: 'body' },
      });

      const preflight = (origin: string) =>
        fetch(`${s.url}/v1/links`, {
          method: 'OPTIONS',
          headers: {
            origin,
            'access-control-request-method': 'GET',
            'access-control-request-headers': 'authorization',
          },
        });
      const allowed = [
        'chrome-extension://abcdefghijklmnopabcdefghijklmnop',
        'moz-extension://4b1c2d3e-1111-2222-3333-444455556666',
      ];
      for (const origin of allowed) {
        const r = await preflight(origin);
        expect(r.headers.get('access-control-allow-origin'), origin).toBe(origin);
        expect(r.headers.get('access-control-allow-credentials')).toBeNull();
      }
      const refused = [
        'https://evil.example',
        'https://mail.google.com',
        'null',
        'http://127.0.0.1:8080',
        'chrome-extension://abc.evil.example',
        'https://chrome-extension.evil.example',
      ];
      for (const origin of refused) {
        expect((await preflight(origin)).headers.get('access-control-allow-origin'), origin).toBeNull();
        const get = await fetch(`${s.url}/v1/service`, { headers: { origin } });
        expect(get.headers.get('access-control-allow-origin'), origin).toBeNull();
      }
      const responses = [
        await fetch(`${s.url}/v1/service`),
        await fetch(`${s.url}/healthz`),
        await apiAt(s.url, 'POST', '/v1/link/start', { email: 'c@gmail.com' }).then(() => fetch(`${s.url}/v1/links`)),
      ];
      for (const r of responses) expect(r.headers.get('set-cookie')).toBeNull();
    } finally {
      await s.stop();
    }
  });
});
