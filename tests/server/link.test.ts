/**
 * Linking on the server, with the TikTok emulator behind it and the code email through a real SMTP sink, on PGlite
 * and on PostgreSQL: the callback keeps TikTok's code on the server (never in the browser's redirect), the Link
 * shows the Business account, its tokens are sealed at rest, and a denied or forged callback links nothing.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres } from '../support/postgres';
import { EXTENSION_REDIRECT, startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

describe.each<DbKind>(['pglite', 'postgres'])('linking on %s', (db) => {
  let s: Stack;
  beforeAll(async () => {
    s = await startStack({ db });
    s.tiktok.addAccount({ username: 'maya.creates', display_name: 'Maya' });
  }, 60_000);
  afterAll(() => s?.stop());

  it('links through the emailed code and TikTok sign-in; the browser never sees the code', async () => {
    const start = await s.api('POST', '/v1/link/start', { email: 'alex@gmail.com' });
    const mail = await s.smtp.waitFor((m) => m.to.includes('alex@gmail.com'));
    expect(mail.subject).toMatch(/^\d{6} is your verification code$/);
    const code = mail.subject.slice(0, 6);
    const { data } = await s.api('POST', '/v1/link/verify', { verification_id: start.data.verification_id, code });
    const token = data.session_token;
    const started = await s.api('POST', '/v1/tiktok/oauth/start', { redirect_uri: EXTENSION_REDIRECT }, { token });
    const authorize = new URL(started.data.authorize_url);
    expect(authorize.origin + authorize.pathname).toBe(s.tiktok.authUrl);
    expect(authorize.searchParams.get('redirect_uri')).toBe(`${s.url}/oauth/tiktok/callback`);
    expect(authorize.searchParams.get('scope')).toContain('message.list.send');
    expect(authorize.searchParams.get('state')).not.toBe(started.data.state); // signed by the server

    const callback = s.tiktok.approve(started.data.authorize_url, 'maya.creates');
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.status).toBe(302);
    const ended = new URL(back.headers.get('location')!);
    expect(ended.href.startsWith(EXTENSION_REDIRECT)).toBe(true);
    expect(ended.searchParams.get('state')).toBe(started.data.state);
    expect(ended.searchParams.has('code')).toBe(false);
    // A replayed callback is refused.
    expect((await fetch(callback, { redirect: 'manual' })).status).toBe(400);

    const done = await s.api(
      'POST',
      '/v1/tiktok/oauth/complete',
      { state: started.data.state, callback_url: ended.href },
      { token },
    );
    expect(done.error.code).toBe('ok');
    expect(done.data).toMatchObject({
      gmail: 'alex@gmail.com',
      status: 'active',
      tiktok: { username: 'maya.creates', account_type: 'business' },
    });
    expect(done.data.capabilities).toMatchObject({ messages: true, comments: true, follow: false });

    const rows = await s.server.database.db.execute(sql`select access_token_sealed, refresh_token_sealed from links`);
    const row = (rows as unknown as { rows: Record<string, string>[] }).rows[0]!;
    expect(row.access_token_sealed).toMatch(/^v1\./);
    const raw = JSON.stringify(
      ((await s.server.database.db.execute(sql`select * from links`)) as unknown as { rows: unknown[] }).rows,
    );
    expect(raw).not.toMatch(/act\.[0-9a-f]{32}|rft\.[0-9a-f]{32}/);
  });

  it('a forged or unsigned state at the callback changes nothing', async () => {
    for (const state of ['', 'st_abc', 'st_abc.AAAA', `st_${'a'.repeat(24)}.${'b'.repeat(43)}`]) {
      const res = await fetch(`${s.url}/oauth/tiktok/callback?code=x&state=${encodeURIComponent(state)}`, {
        redirect: 'manual',
      });
      expect(res.status).toBe(400);
    }
  });

  it('a denied sign-in comes back as an error without a link', async () => {
    const { token } = await s.link('sam@gmail.com', 'maya.creates').catch(() => ({ token: '' }));
    expect(token).toBe(''); // already linked to alex
    const start = await s.api('POST', '/v1/link/start', { email: 'kim@gmail.com' });
    const mail = await s.smtp.waitFor((m) => m.to.includes('kim@gmail.com'));
    const { data } = await s.api('POST', '/v1/link/verify', {
      verification_id: start.data.verification_id,
      code: mail.subject.slice(0, 6),
    });
    const started = await s.api(
      'POST',
      '/v1/tiktok/oauth/start',
      { redirect_uri: EXTENSION_REDIRECT },
      { token: data.session_token },
    );
    const u = new URL(started.data.authorize_url);
    const denied = await fetch(u.href, {
      method: 'POST',
      body: new URLSearchParams([...u.searchParams, ['decision', 'deny']]),
      redirect: 'manual',
    });
    const back = await fetch(denied.headers.get('location')!, { redirect: 'manual' });
    const ended = new URL(back.headers.get('location')!);
    expect(ended.searchParams.get('error')).toBe('access_denied');
    const done = await s.api(
      'POST',
      '/v1/tiktok/oauth/complete',
      { state: started.data.state, callback_url: ended.href },
      { token: data.session_token },
    );
    expect(done.error.code).toBe('permission_denied');
    expect((await s.api('GET', '/v1/links', undefined, { token: data.session_token })).data.items).toEqual([]);
  });
});

describe('sign-in variants', () => {
  it('a grant missing a scope gives a link whose capabilities say which and why', async () => {
    const s = await startStack({ db: 'pglite' });
    try {
      s.tiktok.addAccount({ username: 'shop.owner' });
      const { token, link } = await s.link('owner@gmail.com', 'shop.owner', ['comment.list.manage']);
      expect(link.scopes).not.toContain('comment.list.manage');
      expect(link.capabilities).toMatchObject({ messages: true, comments: false, follow: false });
      expect(link.capabilities.reasons.comments).toContain('comment.list.manage');
      const refused = await s.api(
        'POST',
        `/v1/links/${link.link_id}/comments/123/replies`,
        { text: 'hi' },
        { token, key: 'no-scope' },
      );
      expect(['scope_not_authorized', 'not_supported']).toContain(refused.error.code);
      expect(s.tiktok.calls.some((c) => c.path.includes('comment/reply'))).toBe(false);
    } finally {
      await s.stop();
    }
  });

  it('login_kit: PKCE at /v2/oauth/token/, the profile from /v2/user/info/, no DMs or comments (with the reason), revoke at /v2/oauth/revoke/', async () => {
    const s = await startStack({ db: 'pglite', env: { TIKTOK_SIGNIN: 'login_kit' } });
    try {
      s.tiktok.addAccount({ username: 'any.person', account_type: 'personal' });
      const started: string[] = [];
      const orig = s.tiktok.approve.bind(s.tiktok);
      s.tiktok.approve = (url, username, without) => (started.push(url), orig(url, username, without));
      const { token, link } = await s.link('person@gmail.com', 'any.person');
      const authorize = new URL(started[0]!);
      expect(authorize.searchParams.get('scope')).toBe('user.info.basic,user.info.profile');
      expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
      expect(authorize.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(s.tiktok.calls.some((c) => c.path === '/v2/oauth/token/' && c.body.includes('code_verifier='))).toBe(true);
      expect(link).toMatchObject({
        status: 'active',
        tiktok: { username: 'any.person' },
        capabilities: { messages: false, comments: false, follow: false },
      });
      expect(link.capabilities.reasons.messages).toMatch(/Business/);
      const gone = await s.api('DELETE', `/v1/links/${link.link_id}`, undefined, { token, key: 'unlink' });
      expect(gone.data.status).toBe('revoked');
      expect(s.tiktok.calls.some((c) => c.path === '/v2/oauth/revoke/')).toBe(true);
    } finally {
      await s.stop();
    }
  });
});

describe('health', () => {
  it('/healthz is 200 while PostgreSQL answers and 503 once it is gone', async () => {
    const pg = await startPostgres();
    const s = await startStack({ db: 'pglite', env: { DATABASE_URL: pg.createDatabase('health') } });
    try {
      const ok = await fetch(`${s.url}/healthz`);
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual({ ok: true, database: 'postgres' });
      pg.stop();
      expect((await fetch(`${s.url}/healthz`)).status).toBe(503);
    } finally {
      await s.stop().catch(() => undefined);
    }
  });
});
