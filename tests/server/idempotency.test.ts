/**
 * The same Idempotency-Key sent by parallel requests (a client's retry racing its first try, two tabs, two server
 * instances) on the calls that are not sends — Ads requests, link/start, oauth/start, follows — and on a DM send, on
 * PGlite and on PostgreSQL: every request gets the first one's answer and the effect happens once. A key held by a
 * request that died is taken over after its lease.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlStore } from '../../server/store';
import type { Secrets } from '../../server/crypto';
import { IDEMPOTENCY_LEASE_MS } from '../../utils/service/http';
import { TikTokEmulator } from '../support/tiktok-emulator';
import {
  businessCenterEnv,
  eventually,
  startStack,
  stopPostgres,
  type DbKind,
  type Envelope,
  type Stack,
} from './harness';

afterAll(stopPostgres);

const PARALLEL = 6;
const ids = (rs: Envelope<any>[], pick: (d: any) => string) => new Set(rs.map((r) => pick(r.data)));

describe.each<DbKind>(['pglite', 'postgres'])('one Idempotency-Key, parallel requests, on %s', (db) => {
  let s: Stack;
  let ana: string;
  let linkId: string;
  beforeAll(async () => {
    s = await startStack({ db, env: businessCenterEnv(new TikTokEmulator(), 'ana@gmail.com') });
    s.tiktok.addAccount({ username: 'ana.brand' });
    ({
      token: ana,
      link: { link_id: linkId },
    } = await s.link('ana@gmail.com', 'ana.brand'));
  }, 90_000);
  afterAll(() => s?.stop());

  const parallel = (method: string, p: string, body: unknown, o: { token?: string; key: string }) =>
    Promise.all(Array.from({ length: PARALLEL }, () => s.api(method, p, body, o)));

  it('an Ads request: one authorization, one invite-link call, the same answer for all', async () => {
    const before = s.tiktok.calls.filter((c) => c.path.includes('bc/asset/account/authorization/')).length;
    const rs = await parallel(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: s.tiktok.bc.bcId, username: 'maya.creates', permissions: ['spark_ads'] },
      { token: ana, key: 'ads-1' },
    );
    expect(rs.map((r) => r.error.code)).toEqual(Array(PARALLEL).fill('ok'));
    expect(ids(rs, (d) => d.authorization_id).size).toBe(1);
    expect(rs.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(PARALLEL - 1);
    expect(s.tiktok.calls.filter((c) => c.path.includes('bc/asset/account/authorization/')).length - before).toBe(1);
    const listed = (await s.api('GET', '/v1/ads/authorizations', undefined, { token: ana })).data.items as {
      tiktok: { username: string };
    }[];
    expect(listed.filter((a) => a.tiktok.username === 'maya.creates')).toHaveLength(1);
  });

  it('link/start: one verification and one code email', async () => {
    const rs = await parallel('POST', '/v1/link/start', { email: 'sam@gmail.com' }, { key: 'start-1' });
    expect(ids(rs, (d) => d.verification_id).size).toBe(1);
    await s.smtp.waitFor((m) => m.to.includes('sam@gmail.com'));
    await new Promise((r) => setTimeout(r, 300));
    expect(s.smtp.mails.filter((m) => m.to.includes('sam@gmail.com'))).toHaveLength(1);
  });

  it('oauth/start: one sign-in attempt', async () => {
    const rs = await parallel(
      'POST',
      '/v1/tiktok/oauth/start',
      { redirect_uri: 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/' },
      { token: ana, key: 'oauth-1' },
    );
    expect(ids(rs, (d) => d.state).size).toBe(1);
  });

  it('a follow (not_supported here) answers every request the same and keeps nothing, so a later retry acts', async () => {
    const rs = await parallel(
      'POST',
      `/v1/links/${linkId}/follows`,
      { username: 'lee.bakes' },
      { token: ana, key: 'follow-1' },
    );
    expect(rs.map((r) => r.error.code)).toEqual(Array(PARALLEL).fill('not_supported'));
    expect(rs.every((r) => r.error.details?.fallback_url === 'https://www.tiktok.com/@lee.bakes')).toBe(true);
  });

  it('a DM sent in parallel with one key reaches TikTok once', async () => {
    const ana0 = s.tiktok.byUsername('ana.brand');
    const { message, webhook } = s.tiktok.incomingMessage(ana0, { username: 'jordan.k' }, 'hello?');
    await s.tiktok.deliver(webhook);
    await eventually(async () =>
      ((await s.api('GET', '/v1/events', undefined, { token: ana })).data.items as { type: string }[]).some(
        (e) => e.type === 'message.received',
      ),
    );
    const rs = await parallel(
      'POST',
      `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
      { text: 'Yes, still on!' },
      { token: ana, key: 'dm-1' },
    );
    expect(rs.map((r) => r.error.code)).toEqual(Array(PARALLEL).fill('ok'));
    expect(ids(rs, (d) => d.message_id).size).toBe(1);
    expect(s.tiktok.sentMessages(ana0.open_id).filter((m) => m.text === 'Yes, still on!')).toHaveLength(1);
  });

  it('a key held by a request that died is taken over after its lease; a running key with another request is refused', async () => {
    const store = new SqlStore(s.server.database.db, {} as Secrets);
    const scope = (key: string) => `Bearer ${ana}|${key}`;
    const stale = {
      scope: scope('dead-1'),
      fingerprint: `POST /v1/links/${linkId}/follows {"username":"lee.bakes"}`,
      status: 0,
      body: '',
      headers: {},
      at: s.clock.now() - IDEMPOTENCY_LEASE_MS - 1000,
    };
    await store.idempotency.put(stale);
    const took = await s.api(
      'POST',
      `/v1/links/${linkId}/follows`,
      { username: 'lee.bakes' },
      { token: ana, key: 'dead-1' },
    );
    expect(took.error.code).toBe('not_supported');
    await store.idempotency.put({ ...stale, scope: scope('live-1'), at: s.clock.now() });
    const other = await s.api(
      'POST',
      `/v1/links/${linkId}/follows`,
      { username: 'someone.else' },
      { token: ana, key: 'live-1' },
    );
    expect(other.error).toMatchObject({ code: 'invalid_params', details: { field: 'Idempotency-Key' } });
    const rows = await s.server.database.db.execute(sql`select count(*)::int as n from idempotency where status = 0`);
    expect(Number((rows as unknown as { rows: { n: number }[] }).rows[0]!.n)).toBe(1); // only the live one we made
  });
});
