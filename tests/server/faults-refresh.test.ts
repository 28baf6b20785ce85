/**
 * Token refresh under concurrency (issue 17), on PostgreSQL with two instances: 50 parallel sends on a link whose
 * access token TikTok has just expired make exactly one refresh at TikTok (the link row is locked while refreshing;
 * the others use the token it got), every send is delivered once, and the rotated refresh token is the one kept —
 * the next expiry refreshes again with it (TikTok has already forgotten the old one).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { apiAt, eventually, startStack, stopPostgres } from './harness';

afterAll(stopPostgres);

it('50 parallel sends on a just-expired token: one refresh, all sent once, the rotated refresh token kept', async () => {
  // A slow shared machine must not turn a TikTok call into a timeout here: this test is about the refresh.
  const s = await startStack({
    db: 'postgres',
    env: { SECRET_KEY: randomBytes(32).toString('hex'), TIKTOK_TIMEOUT_MS: '8000', SEND_LEASE_S: '30' },
  });
  const b = await s.another();
  try {
    const maya = s.tiktok.addAccount({ username: 'maya.creates' });
    const { token, link } = await s.link('alex@gmail.com', 'maya.creates');
    const conversations: string[] = [];
    for (let i = 0; i < 10; i++) {
      const dm = s.tiktok.incomingMessage(maya, { username: `fan.${i}` }, `hi ${i}`);
      await s.tiktok.deliver(dm.webhook);
      conversations.push(dm.message.conversation_id);
    }
    await eventually(
      async () =>
        (await s.api('GET', '/v1/events?limit=100', undefined, { token })).data.items.filter(
          (e: { type: string }) => e.type === 'message.received',
        ).length === 10,
    );
    const refreshes = () => s.tiktok.calls.filter((c) => c.path.includes('oauth2/refresh_token')).length;
    // As the extension's outbox: the same Idempotency-Key again on a 5xx (an outcome TikTok did not tell).
    const send = async (i: number) => {
      for (let attempt = 0; ; attempt++) {
        const r = await apiAt(
          i % 2 ? b.url : s.url,
          'POST',
          `/v1/links/${link.link_id}/conversations/${conversations[i % 10]}/messages`,
          { text: `parallel ${i}` },
          { token, key: `p-${i}` },
        );
        if (r.status < 500 || attempt === 5) return r;
        await new Promise((res) => setTimeout(res, 500));
      }
    };

    s.tiktok.expireTokens();
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => send(i)));
    expect(answers.map((a) => a.error.code).filter((c) => c !== 'ok')).toEqual([]);
    expect(refreshes()).toBe(1);
    expect(s.tiktok.sentMessages(maya.open_id)).toHaveLength(50);

    // The kept refresh token is the rotated one: the next expiry refreshes with it and the link stays active.
    s.tiktok.expireTokens();
    expect((await send(50)).error.code).toBe('ok');
    expect(refreshes()).toBe(2);
    expect(
      s.tiktok.calls
        .filter((c) => c.path.includes('oauth2/refresh_token'))
        .map((c) => JSON.parse(c.body).refresh_token as string),
    ).toEqual([s.tiktok.issued[1], s.tiktok.issued[3]]); // issued: [access, refresh] of the sign-in, then of each refresh
    expect((await s.api('GET', `/v1/links/${link.link_id}`, undefined, { token })).data.status).toBe('active');
  } finally {
    await b.stop();
    await s.stop();
  }
}, 120_000);
