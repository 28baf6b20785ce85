/**
 * Who may do what (issue 17, security), on PostgreSQL with the TikTok emulator:
 * - OAuth `state`: single use (a second complete, a replayed callback), expiring (10 minutes), bound to the session
 *   that started it (another session of the same Gmail address, or of another, is refused), its signature checked;
 * - every endpoint that takes an id, tried by a second user (Eve, with a link of her own) on Alex's link,
 *   conversation, comment, outbox entry (Idempotency-Key) and Ads authorizations: refused, nothing read, nothing done.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as t from '../../server/db/schema';
import { EXTENSION_REDIRECT, eventually, startStack, stopPostgres, type Stack } from './harness';

let s: Stack;
beforeAll(async () => {
  s = await startStack({ db: 'postgres' });
});
afterAll(async () => {
  await s?.stop();
  await stopPostgres();
});

/** A verified session for `gmail` (the code from the SMTP sink). */
async function session(gmail: string): Promise<string> {
  const start = await s.api('POST', '/v1/link/start', { email: gmail });
  const mail = await s.smtp.waitFor((m) => m.to.includes(gmail) && /is your verification code/.test(m.subject));
  s.smtp.mails.splice(s.smtp.mails.indexOf(mail), 1);
  const verified = await s.api('POST', '/v1/link/verify', {
    verification_id: start.data.verification_id,
    code: mail.subject.slice(0, 6),
  });
  return verified.data.session_token as string;
}

describe('OAuth state', () => {
  it('is single use, expires, is bound to the session that started it, and its signature is checked', async () => {
    s.tiktok.addAccount({ username: 'oauth.case' });
    const alex = await session('oauth.alex@gmail.com');
    const alexAgain = await session('oauth.alex@gmail.com'); // same address, another session
    const eve = await session('oauth.eve@gmail.com');
    const started = await s.api(
      'POST',
      '/v1/tiktok/oauth/start',
      { redirect_uri: EXTENSION_REDIRECT },
      { token: alex },
    );
    const callbackAt = s.tiktok.approve(started.data.authorize_url, 'oauth.case');
    const callback = await fetch(callbackAt, { redirect: 'manual' });
    expect(callback.status).toBe(302);
    const back = callback.headers.get('location')!;
    expect(new URL(back).searchParams.get('code')).toBeNull(); // the code never reaches the browser

    // The callback replayed: refused, and the attempt unchanged.
    expect((await fetch(callbackAt, { redirect: 'manual' })).status).toBe(400);
    // A forged state (the server's signature altered): refused before any lookup.
    const forged = new URL(callbackAt);
    forged.searchParams.set('state', `${forged.searchParams.get('state')!.slice(0, -2)}xx`);
    expect((await fetch(forged, { redirect: 'manual' })).status).toBe(400);

    const complete = (token: string) =>
      s.api('POST', '/v1/tiktok/oauth/complete', { state: started.data.state, callback_url: back }, { token });
    expect((await complete(eve)).error.code).toBe('permission_denied');
    expect((await complete(alexAgain)).error).toMatchObject({
      code: 'permission_denied',
      message: expect.stringMatching(/another session/),
    });
    expect((await complete(alex)).error.code).toBe('ok');
    expect((await complete(alex)).error.code).toBe('code_expired'); // used

    // Expiry: an attempt older than 10 minutes cannot be completed.
    const late = await s.api('POST', '/v1/tiktok/oauth/start', { redirect_uri: EXTENSION_REDIRECT }, { token: alex });
    const lateBack = (
      await fetch(s.tiktok.approve(late.data.authorize_url, 'oauth.case'), { redirect: 'manual' })
    ).headers.get('location')!;
    s.clock.offset += 10 * 60_000 + 1000;
    try {
      expect(
        (
          await s.api(
            'POST',
            '/v1/tiktok/oauth/complete',
            { state: late.data.state, callback_url: lateBack },
            { token: alex },
          )
        ).error.code,
      ).toBe('code_expired');
    } finally {
      s.clock.offset -= 10 * 60_000 + 1000;
    }
  });
});

describe("another user's ids", () => {
  it("every endpoint refuses Eve on what is Alex's, and nothing of Alex's is read or done", async () => {
    const maya = s.tiktok.addAccount({ username: 'alex.shop' });
    s.tiktok.addAccount({ username: 'eve.shop' });
    const alex = await s.link('alex@gmail.com', 'alex.shop');
    const eve = await s.link('eve@gmail.com', 'eve.shop');
    const dm = s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'private words for Alex');
    const comment = s.tiktok.incomingComment(maya, { username: 'fan.4ever' }, 'private comment for Alex');
    await s.tiktok.deliver(dm.webhook);
    await s.tiktok.deliver(comment.webhook);
    await eventually(
      async () => (await s.api('GET', '/v1/events', undefined, { token: alex.token })).data.items.length >= 3,
    );
    const sent = await s.api(
      'POST',
      `/v1/links/${alex.link.link_id}/conversations/${dm.message.conversation_id}/messages`,
      { text: 'Alex replies' },
      { token: alex.token, key: 'alex-key-1' },
    );
    expect(sent.error.code).toBe('ok');
    // Two Ads authorizations of Alex's: one he asked for as an advertiser, one asked of his account.
    const authorization = (authorization_id: string, requested_by: string, username: string) => ({
      authorization_id,
      advertiser_id: 'adv_1',
      requested_by,
      username,
      status: 'pending',
      requested: ['spark_ads'],
      granted: [],
      requested_at: Date.now(),
      decided_at: null,
      expires_at: Date.now() + 86_400_000,
      invite_url: null,
    });
    await s.server.database.db
      .insert(t.authorizations)
      .values([
        authorization('auth_alex_advertiser', 'alex@gmail.com', 'someone.else'),
        authorization('auth_for_alex', 'advertiser@agency.example', 'alex.shop'),
      ]);
    const asked = { authorization: { authorization_id: 'auth_for_alex' } };
    const sendsBefore = s.tiktok.calls.filter((c) => /send|reply|revoke/.test(c.path)).length;

    const L = `/v1/links/${alex.link.link_id}`;
    const C = `${L}/conversations/${dm.message.conversation_id}`;
    const tries: [string, string, unknown?, string?][] = [
      ['GET', L],
      ['DELETE', L],
      ['GET', `${L}/conversations?username=jordan.k`],
      ['GET', `${C}/messages`],
      ['POST', `${C}/messages`, { text: 'Eve writes as Alex' }],
      ['POST', `${C}/messages`, { text: 'Alex replies' }, 'alex-key-1'],
      ['GET', `${L}/comments?username=fan.4ever`],
      ['POST', `${L}/comments/${comment.comment.comment_id}/replies`, { text: 'Eve replies as Alex' }],
      ['POST', `${L}/follows`, { username: 'jordan.k' }],
      ['GET', `${L}/follows/jordan.k`],
      ['GET', '/v1/ads/authorizations/auth_alex_advertiser'],
      ['PATCH', '/v1/ads/authorizations/auth_alex_advertiser', { permissions: ['spark_ads'] }],
      ['POST', '/v1/ads/authorizations/auth_alex_advertiser/resend'],
      ['DELETE', '/v1/ads/authorizations/auth_alex_advertiser'],
      ['POST', `/v1/ads/requests/${asked.authorization.authorization_id}/approve`, { permissions: ['spark_ads'] }],
      ['POST', `/v1/ads/requests/${asked.authorization.authorization_id}/reject`],
    ];
    const answers: string[] = [];
    for (const [method, path, body, key] of tries) {
      const r = await s.api(method, path, body, {
        token: eve.token,
        key: key ?? (method === 'GET' ? undefined : `eve-${answers.length}`),
      });
      answers.push(`${method} ${path.replace(alex.link.link_id, 'ALEX')} → ${r.status} ${r.error.code}`);
      expect(r.status, answers.at(-1)).toBeGreaterThanOrEqual(400);
      expect(['permission_denied', 'not_found', 'not_supported'], answers.at(-1)).toContain(r.error.code);
      expect(JSON.stringify(r.data ?? {})).not.toMatch(/private|Alex replies|jordan|fan\.4ever/);
    }
    // Eve's own lists show none of Alex's activity or requests.
    const eveEvents = await s.api('GET', '/v1/events', undefined, { token: eve.token });
    expect(JSON.stringify(eveEvents.data)).not.toMatch(/jordan|fan\.4ever|alex\.shop/);
    expect(
      (await s.api('GET', '/v1/links', undefined, { token: eve.token })).data.items.map(
        (l: { link_id: string }) => l.link_id,
      ),
    ).toEqual([eve.link.link_id]);
    expect(
      JSON.stringify((await s.api('GET', '/v1/ads/requests', undefined, { token: eve.token })).data),
    ).not.toContain(asked.authorization.authorization_id);
    expect(
      JSON.stringify((await s.api('GET', '/v1/ads/authorizations', undefined, { token: eve.token })).data ?? {}),
    ).not.toContain('auth_alex_advertiser');

    // Nothing was done for Eve: no send, reply or revoke reached TikTok; Alex's link and authorizations are as they were.
    expect(s.tiktok.calls.filter((c) => /send|reply|revoke/.test(c.path)).length).toBe(sendsBefore);
    expect((await s.api('GET', L, undefined, { token: alex.token })).data.status).toBe('active');
    const rows = await s.server.database.db.select({ status: t.authorizations.status }).from(t.authorizations);
    expect(rows.map((r) => r.status)).toEqual(['pending', 'pending']);
  });
});
