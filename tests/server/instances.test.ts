/**
 * Two server instances on one PostgreSQL database (the way to scale): a webhook delivered to both makes one event,
 * and a send whose outcome was unknown is settled by exactly one of them (sends are claimed with FOR UPDATE SKIP
 * LOCKED), so TikTok receives it once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { eventually, startStack, stopPostgres } from './harness';

afterAll(stopPostgres);

it('two instances share the work without doubling a webhook or a send', async () => {
  const a = await startStack({ db: 'postgres', env: { SECRET_KEY: randomBytes(32).toString('hex') } });
  const b = await a.another();
  try {
    const maya = a.tiktok.addAccount({ username: 'maya.creates' });
    const { token, link } = await a.link('alex@gmail.com', 'maya.creates');
    const dm = a.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'hello both');
    a.tiktok.webhookUrl = `${b.url}/webhooks/tiktok`;
    await a.tiktok.deliver(dm.webhook);
    a.tiktok.webhookUrl = `${a.url}/webhooks/tiktok`;
    await a.tiktok.deliver(dm.webhook);
    const events = async () =>
      (await a.api('GET', '/v1/events', undefined, { token })).data.items as { type: string }[];
    await eventually(async () => (await events()).some((e) => e.type === 'message.received'));
    await new Promise((r) => setTimeout(r, 500));
    expect((await events()).filter((e) => e.type === 'message.received')).toHaveLength(1);

    // The send times out before TikTok acts; both instances' background workers then race for it.
    a.tiktok.fail('message/send', 'timeout', { acted: false });
    const first = await a.api(
      'POST',
      `/v1/links/${link.link_id}/conversations/${dm.message.conversation_id}/messages`,
      { text: 'one of us sends this' },
      { token, key: 'race' },
    );
    expect(first.error.code).toBe('upstream_error');
    a.clock.offset += 61_000;
    try {
      await Promise.all([
        a.server.service.resumeSends(),
        b.service.resumeSends(),
        a.server.service.resumeSends(),
        b.service.resumeSends(),
      ]);
      await eventually(async () => a.tiktok.sentMessages(maya.open_id).length > 0, 15_000);
      await new Promise((r) => setTimeout(r, 2500)); // a few more background rounds on both
    } finally {
      a.clock.offset -= 61_000;
    }
    expect(a.tiktok.sentMessages(maya.open_id).map((m) => m.text)).toEqual(['one of us sends this']);
  } finally {
    await b.stop();
    await a.stop();
  }
});
