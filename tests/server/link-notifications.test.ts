/**
 * Per-link notification settings on the server (our addition to API 1.1, docs/server.md), on PGlite and on
 * PostgreSQL: the defaults (messages and comments on), a partial PATCH that keeps the other kinds, only the link's
 * own session may change them, they survive a restart, and GET /v1/service says the server emails from MAIL_FROM.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

describe.each<DbKind>(['pglite', 'postgres'])('notification settings on %s', (db) => {
  let s: Stack;
  let token: string;
  let linkId: string;
  beforeAll(async () => {
    s = await startStack({ db, env: { MAIL_FROM: 'TikTok Gmail Link <notify@link.example>' } });
    s.tiktok.addAccount({ username: 'maya.creates', display_name: 'Maya' });
    s.tiktok.addAccount({ username: 'other.one', display_name: 'Other' });
    ({
      token,
      link: { link_id: linkId },
    } = await s.link('alex@gmail.com', 'maya.creates'));
  }, 60_000);
  afterAll(() => s?.stop());

  it('shows the defaults, changes only the kinds given, and keeps them across a restart', async () => {
    const link = await s.api('GET', `/v1/links/${linkId}`, undefined, { token });
    expect(link.data.notifications).toEqual({
      messages: true,
      comments: true,
      mentions: false,
      followers: false,
      ads: false,
    });
    const patched = await s.api(
      'PATCH',
      `/v1/links/${linkId}/notifications`,
      { followers: true, comments: false },
      { token },
    );
    expect(patched.status).toBe(200);
    expect(patched.data).toMatchObject({
      link_id: linkId,
      status: 'active',
      notifications: { messages: true, comments: false, mentions: false, followers: true, ads: false },
    });
    await s.restart();
    expect((await s.api('GET', '/v1/links', undefined, { token })).data.items[0].notifications).toEqual(
      patched.data.notifications,
    );
    const empty = await s.api('PATCH', `/v1/links/${linkId}/notifications`, {}, { token });
    expect(empty.data.notifications).toEqual(patched.data.notifications);
  });

  it("refuses another Gmail address's session, unknown links and bad bodies, changing nothing", async () => {
    const { token: other } = await s.link('someone.else@gmail.com', 'other.one');
    const before = (await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.notifications;
    const denied = await s.api('PATCH', `/v1/links/${linkId}/notifications`, { messages: false }, { token: other });
    expect({ status: denied.status, code: denied.error.code }).toEqual({ status: 403, code: 'permission_denied' });
    expect((await s.api('PATCH', '/v1/links/lnk_nope/notifications', { messages: false }, { token })).error.code).toBe(
      'not_found',
    );
    for (const body of [{ likes: true }, { messages: 'false' }, { messages: null }, { ads: true, live: true }]) {
      const r = await s.api('PATCH', `/v1/links/${linkId}/notifications`, body, { token });
      expect({ status: r.status, code: r.error.code }).toEqual({ status: 400, code: 'invalid_params' });
      expect(r.error.details?.field).toMatch(/^(likes|messages|live)$/);
    }
    expect((await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.notifications).toEqual(before);
  });

  it("names MAIL_FROM's address as the notification sender in GET /v1/service", async () => {
    const info = await s.api('GET', '/v1/service');
    expect(info.data.notification_senders).toEqual(['notify@link.example']);
  });
});
