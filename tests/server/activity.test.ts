/**
 * Webhooks, DMs and comments on the server with the TikTok emulator behind it: signatures and freshness checked on
 * the raw body, at-least-once deliveries stored once, echoes of our own sends never a second message, events in
 * /v1/events whose conversation id is the one `conversations?username=` returns, comment usernames fetched from
 * TikTok, and what TikTok cannot do answered as API 1.1 says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import { eventually, startStack, type Stack } from './harness';

let s: Stack;
let maya: EmulatedAccount;
let token: string;
let linkId: string;

beforeAll(async () => {
  s = await startStack({ db: 'pglite' });
  maya = s.tiktok.addAccount({ username: 'maya.creates', display_name: 'Maya' });
  ({
    token,
    link: { link_id: linkId },
  } = await s.link('alex@gmail.com', 'maya.creates'));
}, 60_000);
afterAll(() => s?.stop());

const events = async () =>
  (await s.api('GET', '/v1/events?limit=100', undefined, { token })).data.items as {
    type: string;
    ref: Record<string, string>;
    summary: string;
  }[];
const messages = async (cid: string) =>
  (await s.api('GET', `/v1/links/${linkId}/conversations/${cid}/messages?limit=100`, undefined, { token })).data
    .items as { direction: string; text: string; message_id: string }[];

async function post(body: string, signature: string | null) {
  return fetch(s.tiktok.webhookUrl!, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature !== null && { 'tiktok-signature': signature }) },
    body,
  });
}

describe('webhooks', () => {
  it('a DM arrives once however often TikTok delivers it, as one message.received with the conversation the username finds', async () => {
    const { message, webhook } = s.tiktok.incomingMessage(
      maya,
      { username: 'jordan.k' },
      'Hi! Is the collab still on?',
    );
    expect(await s.tiktok.deliver(webhook, { times: 3 })).toEqual([200, 200, 200]);
    const ev = await eventually(async () => (await events()).find((e) => e.type === 'message.received'));
    expect(ev.ref).toMatchObject({ conversation_id: message.conversation_id, username: 'jordan.k' });
    await new Promise((r) => setTimeout(r, 300));
    expect((await events()).filter((e) => e.type === 'message.received')).toHaveLength(1);
    const convos = await s.api('GET', `/v1/links/${linkId}/conversations?username=jordan.k`, undefined, { token });
    expect(convos.data.items.map((c: { conversation_id: string }) => c.conversation_id)).toEqual([
      ev.ref.conversation_id,
    ]);
    expect(convos.data.items[0]).toMatchObject({
      participant: { username: 'jordan.k' },
      unread_count: 1,
      reply_window: { state: 'open', messages_remaining: 10 },
    });
    // The id exceeds 2^53 and comes back exact.
    expect((await messages(message.conversation_id)).map((m) => m.message_id)).toEqual([message.message_id]);
  });

  it('refuses a bad, missing, stale or other-secret signature before doing anything', async () => {
    const { webhook } = s.tiktok.incomingMessage(maya, { username: 'mallory' }, 'forged');
    const body = JSON.stringify(webhook);
    const now = Math.floor(Date.now() / 1000);
    const bad = [
      null,
      '',
      't=abc,s=00',
      s.tiktok.sign(body, now, 'not-the-secret'),
      s.tiktok.sign(body, now - 3600),
      s.tiktok.sign(body, now + 3600),
      s.tiktok.sign(`${body} `, now), // signed another body
      s.tiktok.sign(body, now).replace(/s=(.)/, (_, c: string) => `s=${c === 'a' ? 'b' : 'a'}`),
    ];
    for (const sig of bad) expect((await post(body, sig)).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect((await events()).some((e) => e.ref.username === 'mallory')).toBe(false);
    expect(
      (await s.api('GET', `/v1/links/${linkId}/conversations?username=mallory`, undefined, { token })).data.items,
    ).toEqual([]);
  });

  it('answers 200 to unknown or malformed events and changes nothing', async () => {
    const before = (await events()).length;
    const odd = [
      s.tiktok.event('im_mark_read_msg', maya.open_id, { conversation_id: 'c1' }),
      s.tiktok.event('im_receive_msg', maya.open_id, { conversation_id: 'c1' }),
      { ...s.tiktok.event('im_receive_msg', maya.open_id, {}), content: 'not json' },
      { ...s.tiktok.event('comment.update', maya.open_id, {}), client_key: 'another-app' },
      s.tiktok.event('follow', maya.open_id, { username: 'x' }),
    ];
    for (const e of odd) expect(await s.tiktok.deliver(e)).toEqual([200]);
    for (const raw of ['', '[]', '{"event":1}', 'null']) expect((await post(raw, s.tiktok.sign(raw))).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect((await events()).length).toBe(before);
  });

  it('messages delivered out of order and late are listed in the order they were written', async () => {
    const a = s.tiktok.incomingMessage(maya, { username: 'lee.ok' }, 'first');
    await new Promise((r) => setTimeout(r, 5));
    const b = s.tiktok.incomingMessage(maya, { username: 'lee.ok' }, 'second');
    await s.tiktok.deliver(b.webhook);
    await s.tiktok.deliver(a.webhook, { delayMs: 200 });
    await eventually(async () => (await events()).filter((e) => e.ref.username === 'lee.ok').length === 2);
    expect((await messages(a.message.conversation_id)).map((m) => m.text)).toEqual(['second', 'first']); // newest first
  });
});

describe('sending', () => {
  it('a reply reaches TikTok once; its echo (even before TikTok answers) is not a second message', async () => {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: 'rio' }, 'Can you send the rates?');
    await s.tiktok.deliver(webhook);
    const cid = message.conversation_id;
    s.tiktok.echoBeforeAnswer = true;
    const sent = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${cid}/messages`,
      { text: 'Sure, sending now.' },
      { token, key: 'k-rates-1' },
    );
    s.tiktok.echoBeforeAnswer = false;
    expect(sent.error.code).toBe('ok');
    expect(sent.data).toMatchObject({
      direction: 'out',
      text: 'Sure, sending now.',
      reply_window: { messages_remaining: 9 },
    });
    const again = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${cid}/messages`,
      { text: 'Sure, sending now.' },
      { token, key: 'k-rates-1' },
    );
    expect(again.data.message_id).toBe(sent.data.message_id);
    await s.tiktok.deliver(
      s.tiktok.event('im_send_msg', maya.open_id, {
        conversation_id: cid,
        message_id: sent.data.message_id,
        timestamp: Date.now(),
        type: 'text',
        text: { body: 'Sure, sending now.' },
        from: 'maya.creates',
        from_user: { id: maya.open_id },
        to: 'rio',
        to_user: { id: 'peer-rio' },
      }),
      { times: 2 },
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(s.tiktok.sentMessages(maya.open_id).filter((m) => m.conversation_id === cid)).toHaveLength(1);
    expect((await messages(cid)).map((m) => `${m.direction}:${m.text}`)).toEqual([
      'out:Sure, sending now.',
      'in:Can you send the rates?',
    ]);
    expect((await events()).filter((e) => e.ref.username === 'rio')).toHaveLength(1);
  });

  it('a send made in the TikTok app (echo only) shows as ours and counts against the window, with no event', async () => {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: 'ana' }, 'hello');
    await s.tiktok.deliver(webhook);
    await eventually(async () => (await events()).some((e) => e.ref.username === 'ana'));
    await s.tiktok.deliver(
      s.tiktok.event('im_send_msg', maya.open_id, {
        conversation_id: message.conversation_id,
        message_id: '7399999999999999001',
        timestamp: Date.now(),
        type: 'text',
        text: { body: 'from the app' },
        from: 'maya.creates',
        from_user: { id: maya.open_id },
        to: 'ana',
        to_user: { id: 'peer-ana' },
      }),
    );
    await eventually(async () => (await messages(message.conversation_id)).length === 2);
    const convo = (await s.api('GET', `/v1/links/${linkId}/conversations?username=ana`, undefined, { token })).data
      .items[0];
    expect(convo.reply_window.messages_remaining).toBe(9);
    expect((await events()).filter((e) => e.ref.username === 'ana')).toHaveLength(1);
  });

  it('429 / 40100 (TikTok did not act): the retry with the same key sends once', async () => {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: 'busy.bee' }, 'ping');
    await s.tiktok.deliver(webhook);
    s.tiktok.fail('message/send', 'code40100');
    const first = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
      { text: 'pong' },
      { token, key: 'k-pong' },
    );
    expect(first.error.code).toBe('rate_limit_exceeded');
    const second = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
      { text: 'pong' },
      { token, key: 'k-pong' },
    );
    expect(second.error.code).toBe('ok');
    expect(s.tiktok.sentMessages(maya.open_id).filter((m) => m.text === 'pong')).toHaveLength(1);
  });

  for (const [kind, acted] of [
    ['timeout', true],
    ['drop', true],
    ['http500', false],
    ['timeout', false],
  ] as const) {
    it(`an unknown outcome (${kind}, TikTok ${acted ? 'did' : 'did not'} act) is looked for before sending again: exactly once`, async () => {
      const who = `u${kind}${acted}`.toLowerCase();
      const { message, webhook } = s.tiktok.incomingMessage(maya, { username: who }, 'are you there?');
      await s.tiktok.deliver(webhook);
      const text = `yes (${kind}/${acted})`;
      s.tiktok.fail('message/send', kind, { acted });
      const first = await s.api(
        'POST',
        `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
        { text },
        { token, key: `k-${who}` },
      );
      expect(first.error.code).toBe('upstream_error');
      s.clock.offset += 61_000; // the send's lease runs out: the background worker settles it
      try {
        await eventually(
          async () =>
            s.tiktok.sentMessages(maya.open_id).some((m) => m.text === text) &&
            (
              await s.api(
                'POST',
                `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
                { text },
                { token, key: `k-${who}` },
              )
            ).error.code === 'ok',
          15_000,
        );
      } finally {
        s.clock.offset -= 61_000;
      }
      expect(s.tiktok.sentMessages(maya.open_id).filter((m) => m.text === text)).toHaveLength(1);
    });
  }

  it("TikTok's refusals and the service's own rules map to the API's codes", async () => {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: 'long.talk' }, 'hey');
    await s.tiktok.deliver(webhook);
    const cid = message.conversation_id;
    const tooLong = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${cid}/messages`,
      { text: 'x'.repeat(6001) },
      { token, key: 'k-long' },
    );
    expect(tooLong.error.code).toBe('text_too_long');
    const unknown = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/nope/messages`,
      { text: 'hi' },
      { token, key: 'k-unknown' },
    );
    expect(unknown.error.code).toBe('not_found');
    for (let i = 0; i < 10; i++)
      await s.api(
        'POST',
        `/v1/links/${linkId}/conversations/${cid}/messages`,
        { text: `m${i}` },
        { token, key: `k-q${i}` },
      );
    const quota = await s.api(
      'POST',
      `/v1/links/${linkId}/conversations/${cid}/messages`,
      { text: 'one more' },
      { token, key: 'k-q10' },
    );
    expect(quota.error.code).toBe('message_quota_exceeded');
  });
});

describe('comments', () => {
  it('a comment arrives by webhook (username fetched from TikTok), the reply posts once, our own reply makes no event', async () => {
    const { comment, webhook } = s.tiktok.incomingComment(
      maya,
      { username: 'fan.4ever', display_name: 'Fan' },
      'Where is this place?',
    );
    const content = JSON.parse(webhook.content) as Record<string, unknown>;
    delete content.unique_identifier; // the event lacks the username
    await s.tiktok.deliver({ ...webhook, content: JSON.stringify(content) }, { times: 2 });
    const ev = await eventually(async () => (await events()).find((e) => e.type === 'comment.received'));
    expect(ev.ref).toMatchObject({ comment_id: comment.comment_id, username: 'fan.4ever' });
    const listed = await s.api('GET', `/v1/links/${linkId}/comments?username=fan.4ever`, undefined, { token });
    expect(listed.data.items).toEqual([
      expect.objectContaining({ comment_id: comment.comment_id, username: 'fan.4ever', text: 'Where is this place?' }),
    ]);

    const tooLong = await s.api(
      'POST',
      `/v1/links/${linkId}/comments/${comment.comment_id}/replies`,
      { text: 'y'.repeat(151) },
      { token, key: 'c-long' },
    );
    expect(tooLong.error.code).toBe('text_too_long');
    const reply = await s.api(
      'POST',
      `/v1/links/${linkId}/comments/${comment.comment_id}/replies`,
      { text: 'Lisbon!' },
      { token, key: 'c-1' },
    );
    expect(reply.data).toMatchObject({
      parent_comment_id: comment.comment_id,
      text: 'Lisbon!',
      username: 'maya.creates',
    });
    expect(
      (
        await s.api(
          'POST',
          `/v1/links/${linkId}/comments/${comment.comment_id}/replies`,
          { text: 'Lisbon!' },
          { token, key: 'c-1' },
        )
      ).data.comment_id,
    ).toBe(reply.data.comment_id);
    expect(s.tiktok.replies(comment.comment_id)).toHaveLength(1);

    const own = s.tiktok.event('comment.update', maya.open_id, {
      comment_id: reply.data.comment_id,
      video_id: comment.video_id,
      parent_comment_id: comment.comment_id,
      comment_action: 'insert',
      unique_identifier: 'maya.creates',
      text: 'Lisbon!',
      timestamp: Date.now(),
    });
    await s.tiktok.deliver(own);
    await new Promise((r) => setTimeout(r, 300));
    expect((await events()).filter((e) => e.type === 'comment.received')).toHaveLength(1);
  });

  it('a comment reply whose outcome is unknown is looked for under the comment before posting again', async () => {
    const { comment, webhook } = s.tiktok.incomingComment(maya, { username: 'q.asker' }, 'price?');
    await s.tiktok.deliver(webhook);
    await eventually(async () => (await events()).some((e) => e.ref.username === 'q.asker'));
    s.tiktok.fail('comment/reply/create', 'timeout', { acted: true });
    const first = await s.api(
      'POST',
      `/v1/links/${linkId}/comments/${comment.comment_id}/replies`,
      { text: 'DM me' },
      { token, key: 'c-unknown' },
    );
    expect(first.error.code).toBe('upstream_error');
    s.clock.offset += 61_000;
    try {
      await eventually(
        async () =>
          (
            await s.api(
              'POST',
              `/v1/links/${linkId}/comments/${comment.comment_id}/replies`,
              { text: 'DM me' },
              { token, key: 'c-unknown' },
            )
          ).error.code === 'ok',
        15_000,
      );
    } finally {
      s.clock.offset -= 61_000;
    }
    expect(s.tiktok.replies(comment.comment_id)).toHaveLength(1);
  });
});

describe('what TikTok cannot do, and the grant', () => {
  it('follow is not_supported with the profile as the fallback; /v1/service says tiktok', async () => {
    const follow = await s.api('POST', `/v1/links/${linkId}/follows`, { username: 'jordan.k' }, { token, key: 'f-1' });
    expect(follow.status).toBe(501);
    expect(follow.error).toMatchObject({
      code: 'not_supported',
      details: { fallback_url: 'https://www.tiktok.com/@jordan.k' },
    });
    const info = await s.api('GET', '/v1/service');
    expect(info.data).toMatchObject({ api_version: '1.1', tiktok: 'tiktok', features: { follow: false, ads: false } });
  });

  it('an expired token is refreshed (rotating refresh tokens, newest kept) and the call goes through', async () => {
    const { message, webhook } = s.tiktok.incomingMessage(maya, { username: 'refresh.me' }, 'hi');
    await s.tiktok.deliver(webhook);
    for (const round of [1, 2, 3]) {
      s.tiktok.expireTokens();
      const sent = await s.api(
        'POST',
        `/v1/links/${linkId}/conversations/${message.conversation_id}/messages`,
        { text: `after refresh ${round}` },
        { token, key: `r-${round}` },
      );
      expect(sent.error.code).toBe('ok');
    }
    expect(s.tiktok.calls.filter((c) => c.path.includes('refresh_token')).length).toBeGreaterThanOrEqual(3);
  });

  it('a refused refresh makes the link reauth_required with an event; unlinking revokes at TikTok', async () => {
    const convo = (await s.api('GET', `/v1/links/${linkId}/conversations?username=rio`, undefined, { token })).data
      .items[0];
    s.tiktok.expireTokens();
    s.tiktok.refuseRefresh();
    const res = await s.api('GET', `/v1/links/${linkId}/conversations/${convo.conversation_id}/messages`, undefined, {
      token,
    });
    expect(res.error.code).toBe('reauth_required');
    expect((await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.status).toBe('reauth_required');
    expect((await events()).some((e) => e.type === 'link.status_changed')).toBe(true);
    s.tiktok.refuseRefresh(false);
    const relinked = await s.link('alex@gmail.com', 'maya.creates');
    expect(relinked.link.status).toBe('active');
    const gone = await s.api('DELETE', `/v1/links/${relinked.link.link_id}`, undefined, {
      token: relinked.token,
      key: 'del-1',
    });
    expect(gone.data.status).toBe('revoked');
    expect(s.tiktok.calls.some((c) => c.path.includes('tt_user/oauth2/revoke'))).toBe(true);
  });

  it('authorization.removed makes the link reauth_required', async () => {
    const { token: t2, link } = await s.link('bo@gmail.com', 'maya.creates').catch(async () => {
      const other = s.tiktok.addAccount({ username: 'bo.shop' });
      return s.link('bo@gmail.com', other.username);
    });
    const open_id = link.tiktok.open_id as string;
    await s.tiktok.deliver(s.tiktok.event('authorization.removed', open_id, { reason: 1 }), { times: 2 });
    await eventually(
      async () =>
        (await s.api('GET', `/v1/links/${link.link_id}`, undefined, { token: t2 })).data.status === 'reauth_required',
    );
  });
});
