/**
 * Ads on the server with the TikTok emulator's Business Center behind it: with the operator's Business Center settings
 * a request carries the BC's invite link, approval happens in TikTok (approve/reject answer `not_supported` with the
 * link as `fallback_url`), and the status read back from `bc/asset/get/` arrives as events; without them
 * `features.ads` is false and the advertiser's calls say why. Also the settings' validation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config';
import { TikTokEmulator } from '../support/tiktok-emulator';
import { businessCenterEnv, eventually, startStack, type Stack } from './harness';

const BC = new TikTokEmulator().bc;
const PERMISSIONS = ['spark_ads', 'analytics'];

describe('Ads through a Business Center', () => {
  let s: Stack;
  let ana: string; // an admin of the Business Center
  let maya: string; // owner of @maya.creates
  beforeAll(async () => {
    s = await startStack({ db: 'pglite', env: businessCenterEnv({ bc: BC }, 'Ana@gmail.com, bob@gmail.com:analyst') });
    s.tiktok.addAccount({ username: 'ana.brand' });
    s.tiktok.addAccount({ username: 'maya.creates' });
    ana = (await s.link('ana@gmail.com', 'ana.brand')).token;
    maya = (await s.link('maya@gmail.com', 'maya.creates')).token;
  }, 60_000);
  afterAll(() => s?.stop());

  const events = async (token: string, type: string) =>
    (
      (await s.api('GET', '/v1/events', undefined, { token })).data.items as {
        type: string;
        ref: Record<string, unknown>;
      }[]
    ).filter((e) => e.type === type);

  it('says Ads are on and decided in TikTok; members see the Business Center with their role', async () => {
    const info = await s.api('GET', '/v1/service');
    expect(info.data.features).toMatchObject({ ads: true, ads_approve_in_api: false, follow: false });
    expect((await s.api('GET', '/v1/ads/advertisers', undefined, { token: ana })).data.items).toEqual([
      { advertiser_id: BC.bcId, name: 'Ana Brand Studio', role: 'admin' },
    ]);
    expect((await s.api('GET', '/v1/ads/advertisers', undefined, { token: maya })).data.items).toEqual([]);
    const stranger = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'maya.creates', permissions: PERMISSIONS },
      { token: maya, key: 'k-stranger' },
    );
    expect(stranger.error.code).toBe('not_found');
  });

  it('a request carries the invite link; the owner is told, and approving in the API points to the link', async () => {
    const created = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'Maya.Creates', permissions: PERMISSIONS },
      { token: ana, key: 'k-maya' },
    );
    expect(created.error.code).toBe('ok');
    expect(created.data).toMatchObject({
      status: 'pending',
      invite_url: s.tiktok.bc.inviteUrl,
      tiktok: { username: 'maya.creates' },
      advertiser: { name: 'Ana Brand Studio' },
    });
    expect(s.tiktok.calls.some((c) => c.path.startsWith('/open_api/v1.3/bc/asset/account/authorization/'))).toBe(true);

    const mine = await s.api('GET', '/v1/ads/requests', undefined, { token: maya });
    expect(mine.data.items).toEqual([
      expect.objectContaining({ authorization_id: created.data.authorization_id, invite_url: s.tiktok.bc.inviteUrl }),
    ]);
    expect(await events(maya, 'ads_request.received')).toHaveLength(1);
    for (const decision of ['approve', 'reject']) {
      const r = await s.api(
        'POST',
        `/v1/ads/requests/${created.data.authorization_id}/${decision}`,
        { permissions: ['spark_ads'] },
        { token: maya, key: `k-${decision}` },
      );
      expect(r.status).toBe(501);
      expect(r.error).toMatchObject({
        code: 'not_supported',
        details: { fallback_url: s.tiktok.bc.inviteUrl, reason: expect.stringMatching(/TikTok/) },
      });
    }
    expect(
      (await s.api('GET', `/v1/ads/authorizations/${created.data.authorization_id}`, undefined, { token: ana })).data
        .status,
    ).toBe('pending');
  });

  it('the status read from the Business Center arrives as events: BOUND authorizes, REJECTED rejects', async () => {
    s.tiktok.addAccount({ username: 'lee.bakes' });
    const lee = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'lee.bakes', permissions: PERMISSIONS },
      { token: ana, key: 'k-lee' },
    );
    const mayaId = (
      await s.api('GET', '/v1/ads/authorizations?status=pending', undefined, { token: ana })
    ).data.items.find((a: { tiktok: { username: string } }) => a.tiktok.username === 'maya.creates').authorization_id;
    s.tiktok.bcDecide('maya.creates', 'BOUND');
    s.tiktok.bcDecide('lee.bakes', 'REJECTED');
    await eventually(async () => (await events(ana, 'ads_authorization.status_changed')).length >= 2, 10_000);
    const got = await s.api('GET', `/v1/ads/authorizations/${mayaId}`, undefined, { token: ana });
    expect(got.data).toMatchObject({ status: 'authorized', permissions: { granted: PERMISSIONS } });
    expect(got.data.invite_url).toBeUndefined();
    expect(
      (await s.api('GET', `/v1/ads/authorizations/${lee.data.authorization_id}`, undefined, { token: ana })).data
        .status,
    ).toBe('rejected');
    expect((await events(ana, 'ads_authorization.status_changed')).map((e) => e.ref.username).sort()).toEqual([
      'lee.bakes',
      'maya.creates',
    ]);
  });

  it('an analyst may not ask; a failing Business Center call stores nothing and may be retried', async () => {
    s.tiktok.addAccount({ username: 'bob.shop' });
    const bobToken = (await s.link('bob@gmail.com', 'bob.shop')).token;
    const denied = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'sam.sings', permissions: PERMISSIONS },
      { token: bobToken, key: 'k-bob' },
    );
    expect(denied.error.code).toBe('permission_denied');

    s.tiktok.fail('bc/asset/account/authorization/', 'http500');
    const failed = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'sam.sings', permissions: PERMISSIONS },
      { token: ana, key: 'k-sam' },
    );
    expect(failed).toMatchObject({ status: 502, error: { code: 'upstream_error' } });
    const retried = await s.api(
      'POST',
      '/v1/ads/authorizations',
      { advertiser_id: BC.bcId, username: 'sam.sings', permissions: PERMISSIONS },
      { token: ana, key: 'k-sam' },
    );
    expect(retried.data).toMatchObject({ status: 'pending', invite_url: s.tiktok.bc.inviteUrl });
    const all = (await s.api('GET', '/v1/ads/authorizations', undefined, { token: ana })).data.items as {
      tiktok: { username: string };
    }[];
    expect(all.filter((a) => a.tiktok.username === 'sam.sings')).toHaveLength(1);
  });
});

describe('Ads without a Business Center', () => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ db: 'pglite' });
    s.tiktok.addAccount({ username: 'maya.creates' });
  }, 60_000);
  afterAll(() => s?.stop());

  it('features.ads is false and every advertiser call says why; the owner side lists nothing', async () => {
    expect((await s.api('GET', '/v1/service')).data.features).toMatchObject({ ads: false, ads_approve_in_api: false });
    const { token } = await s.link('maya@gmail.com', 'maya.creates');
    for (const [method, p, body] of [
      ['GET', '/v1/ads/advertisers'],
      ['GET', '/v1/ads/authorizations'],
      ['POST', '/v1/ads/authorizations', { advertiser_id: '1', username: 'lee.bakes', permissions: PERMISSIONS }],
    ] as const) {
      const r = await s.api(method, p, body, { token, key: `k-${p}` });
      expect(r.status).toBe(501);
      expect(r.error).toMatchObject({
        code: 'not_supported',
        details: { reason: expect.stringMatching(/Business Center/) },
      });
    }
    expect((await s.api('GET', '/v1/ads/advertisers')).error.code).toBe('access_token_invalid');
    expect((await s.api('GET', '/v1/ads/requests', undefined, { token })).data.items).toEqual([]);
  });
});

describe('Ads settings', () => {
  const app = { TIKTOK_CLIENT_KEY: 'k', TIKTOK_CLIENT_SECRET: 's' };
  it('all three Business Center settings or none, with a TikTok app; one sentence names what is wrong', () => {
    expect(loadConfig({ ...app, ...businessCenterEnv({ bc: BC }, 'a@gmail.com:analyst') }).ads).toMatchObject({
      bcId: BC.bcId,
      name: 'Ana Brand Studio',
      pollMs: 1000,
      members: new Map([['a@gmail.com', 'analyst']]),
    });
    expect(
      loadConfig({
        ...app,
        TIKTOK_BC_ID: BC.bcId,
        TIKTOK_BC_ACCESS_TOKEN: 'abcdefgh',
        TIKTOK_BC_MEMBERS: 'a@gmail.com',
      }).ads?.name,
    ).toBe(`Business Center ${BC.bcId}`);
    expect(loadConfig({ ...app }).ads).toBeNull();
    const refused: [Record<string, string>, RegExp][] = [
      [{ ...app, TIKTOK_BC_ID: BC.bcId }, /^TIKTOK_BC_ACCESS_TOKEN is required when TIKTOK_BC_ID is set/],
      [{ ...app, TIKTOK_BC_ID: BC.bcId, TIKTOK_BC_ACCESS_TOKEN: 'abcdefgh' }, /^TIKTOK_BC_MEMBERS is required/],
      [
        { TIKTOK_BC_ID: BC.bcId, TIKTOK_BC_ACCESS_TOKEN: 'abcdefgh', TIKTOK_BC_MEMBERS: 'a@gmail.com' },
        /^TIKTOK_BC_ID needs TIKTOK_CLIENT_KEY/,
      ],
      [{ ...app, TIKTOK_BC_ID: 'bc-12' }, /^TIKTOK_BC_ID is not valid/],
      [{ ...app, TIKTOK_BC_MEMBERS: 'ana' }, /^TIKTOK_BC_MEMBERS is not valid/],
      [{ ...app, TIKTOK_BC_MEMBERS: 'a@gmail.com:owner' }, /^TIKTOK_BC_MEMBERS is not valid/],
      [{ ...app, TIKTOK_BC_POLL_S: '0' }, /^TIKTOK_BC_POLL_S is not valid/],
    ];
    for (const [env, message] of refused) expect(() => loadConfig(env)).toThrow(message);
    expect(() => loadConfig({ ...app, TIKTOK_BC_ID: BC.bcId, TIKTOK_BC_ACCESS_TOKEN: 'secret-token-value' })).toThrow(
      ConfigError,
    );
    try {
      loadConfig({ ...app, TIKTOK_BC_ACCESS_TOKEN: 'short' });
    } catch (e) {
      expect((e as Error).message).not.toContain('short');
    }
  });
});
