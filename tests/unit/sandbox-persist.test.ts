// @vitest-environment node
/**
 * The embedded sandbox as the worker uses it: its state survives the worker stopping (a new sandbox on the same
 * `persist` carries on), requests run one at a time even with a slow store, the sandbox clock is persisted,
 * idempotency keys are kept for 24 h, and the `drop` fault looks like a failed fetch.
 */
import { describe, expect, it } from 'vitest';
import { createServiceClient, type ServiceClient } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import { createSandbox, SEED_GMAIL, type MailboxEmail, type Sandbox } from '@/utils/sandbox';

const BASE = 'https://sandbox.invalid';

/** A store that copies like IndexedDB does, and is slow like it, so lost updates would show. */
function slowStore() {
  let saved: unknown;
  let saves = 0;
  const tick = () => new Promise((r) => setTimeout(r, Math.random() * 4));
  return {
    persist: {
      load: async () => {
        await tick();
        return saved === undefined ? undefined : structuredClone(saved);
      },
      save: async (state: unknown) => {
        await tick();
        saved = structuredClone(state);
        saves++;
      },
    },
    saves: () => saves,
  };
}

const open = (persist: ReturnType<typeof slowStore>['persist']) =>
  createSandbox({ persist, authorizeUrl: (q) => `${BASE}/signin?${new URLSearchParams(q)}` });
const clientOf = (sb: Sandbox, token?: string): ServiceClient =>
  createServiceClient({ baseUrl: BASE, fetch: sb.fetch, token: token ?? null, maxRetries: 0 });

async function call<T>(sb: Sandbox, method: string, path: string, body?: unknown): Promise<T> {
  const res = await sb.handle(
    new Request(BASE + path, { method, ...(body !== undefined && { body: JSON.stringify(body) }) }),
  );
  return ((await res.json()) as { data: T }).data;
}
const lastCode = async (sb: Sandbox) =>
  /^(\d{6})/.exec(
    (await call<{ items: MailboxEmail[] }>(sb, 'GET', `/sandbox/mailbox?to=${SEED_GMAIL}`)).items[0]!.subject,
  )![1]!;

async function linkedIn(sb: Sandbox) {
  const v = await clientOf(sb).linkStart(SEED_GMAIL);
  const { session_token } = await clientOf(sb).linkVerify(v.verification_id, await lastCode(sb));
  const c = clientOf(sb, session_token);
  const o = await c.oauthStart('https://abcdefghijklmnop.chromiumapp.org/');
  const { redirect_url } = await call<{ redirect_url: string }>(sb, 'POST', '/sandbox/oauth/decide', {
    state: o.state,
    username: 'alex.rivera',
  });
  const link = await c.oauthComplete(o.state, redirect_url);
  const [maya] = (await c.listConversations(link.link_id, 'maya.creates')).items;
  return { token: session_token, link, conversationId: maya!.conversation_id };
}

describe('embedded sandbox persistence', () => {
  it('carries on after the worker restarts: session, link and mailbox come back from the store', async () => {
    const store = slowStore();
    const first = open(store.persist);
    const { token, link } = await linkedIn(first);

    const second = open(store.persist); // a new worker: nothing in memory
    const again = clientOf(second, token);
    expect((await again.listLinks()).items.map((l) => l.link_id)).toEqual([link.link_id]);
    expect(store.saves()).toBeGreaterThan(3);
  });

  it('persists the sandbox clock', async () => {
    const store = slowStore();
    const first = open(store.persist);
    const v = await clientOf(first).linkStart(SEED_GMAIL);
    const code = await lastCode(first);
    await call(first, 'POST', '/sandbox/clock', { advance_s: 601 });
    const e = await clientOf(open(store.persist))
      .linkVerify(v.verification_id, code)
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('code_expired');
  });

  it('runs concurrent requests one at a time, so no write is lost', async () => {
    const store = slowStore();
    const sb = open(store.persist);
    const { token, link, conversationId } = await linkedIn(sb);
    const c = clientOf(sb, token);
    const texts = Array.from({ length: 10 }, (_, i) => `parallel ${i}`);
    const sent = await Promise.all(texts.map((text) => c.sendMessage(link.link_id, conversationId, { text })));
    expect(sent.map((m) => m.reply_window.messages_remaining).sort((a, b) => a - b)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const stored = await clientOf(open(store.persist), token).listMessages(link.link_id, conversationId, {
      limit: 100,
    });
    expect(stored.items.filter((m) => m.text.startsWith('parallel '))).toHaveLength(10);
  });

  it('keeps an Idempotency-Key for 24 hours', async () => {
    const sb = open(slowStore().persist);
    const { token, link, conversationId } = await linkedIn(sb);
    const c = clientOf(sb, token);
    const a = await c.sendMessage(link.link_id, conversationId, { text: 'same' }, 'key-1');
    await call(sb, 'POST', '/sandbox/clock', { advance_s: 23 * 3600 });
    expect((await c.sendMessage(link.link_id, conversationId, { text: 'same' }, 'key-1')).message_id).toBe(
      a.message_id,
    );
    await call(sb, 'POST', '/sandbox/clock', { advance_s: 2 * 3600 });
    expect((await c.sendMessage(link.link_id, conversationId, { text: 'same' }, 'key-1')).message_id).not.toBe(
      a.message_id,
    );
  });

  it('drops the connection like a failed fetch after acting, and the same key then replays the result', async () => {
    const sb = open(slowStore().persist);
    const { token, link, conversationId } = await linkedIn(sb);
    await call(sb, 'POST', '/sandbox/faults', { count: 1, kinds: ['drop'] });
    const path = `${BASE}/v1/links/${link.link_id}/conversations/${conversationId}/messages`;
    const init = {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': 'k-drop' },
      body: JSON.stringify({ text: 'dropped' }),
    };
    await expect(sb.fetch(path, init)).rejects.toThrow(new TypeError('Failed to fetch'));
    const replay = await sb.fetch(path, init);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const seen = await call<{ conversations: { conversation_id: string; messages: { text: string }[] }[] }>(
      sb,
      'GET',
      '/sandbox/inspect',
    );
    expect(
      seen.conversations
        .find((x) => x.conversation_id === conversationId)!
        .messages.filter((m) => m.text === 'dropped'),
    ).toHaveLength(1);
  });
});
