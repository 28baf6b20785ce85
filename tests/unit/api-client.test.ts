// @vitest-environment node
/**
 * The service client against the loopback HTTP sandbox with injected faults: what it retries (429, 5xx, dropped
 * connections, timeouts) and what it never retries (other 4xx), its backoff (recorded through an injected `sleep`),
 * and that a state-changing call is never acted on twice: every retry carries the same Idempotency-Key, and the
 * sandbox's `/sandbox/inspect` shows the message exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BACKOFF_BASE_MS, createServiceClient, type ServiceClient } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import { SEED_GMAIL, type MailboxEmail } from '@/utils/sandbox';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';

let server: SandboxServer;
beforeAll(async () => {
  server = await startSandboxServer({ port: 0 });
});
afterAll(() => server.close());
beforeEach(() => control('POST', '/sandbox/reset'));

async function control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const res = await fetch(server.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { data: T; error: { code: string; message: string } };
  if (json.error.code !== 'ok') throw new Error(`${path}: ${json.error.code} ${json.error.message}`);
  return json.data;
}

const faults = (count: number, kinds: string[], extra: Record<string, unknown> = {}) =>
  control('POST', '/sandbox/faults', { count, kinds, ...extra });

interface SeenRequest {
  method: string;
  path: string;
  idempotency_key: string | null;
  status: number;
  fault: string | null;
  replayed: boolean;
}
interface Inspect {
  conversations: { conversation_id: string; messages: { text: string; direction: string }[] }[];
  requests: SeenRequest[];
}
const inspect = () => control<Inspect>('GET', '/sandbox/inspect');

/** A client whose waits are recorded instead of slept. */
function recording(opts: { token?: string; maxRetries?: number; timeoutMs?: number; random?: () => number } = {}) {
  const sleeps: number[] = [];
  const client = createServiceClient({
    baseUrl: server.url,
    token: opts.token ?? null,
    maxRetries: opts.maxRetries ?? 3,
    timeoutMs: opts.timeoutMs ?? 5_000,
    random: opts.random ?? (() => 0.5),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return { client, sleeps };
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** A linked alex.rivera and the conversation with maya.creates. */
async function linkedConversation(): Promise<{ token: string; linkId: string; conversationId: string }> {
  const { client } = recording();
  const v = await client.linkStart(SEED_GMAIL);
  const { items } = await control<{ items: MailboxEmail[] }>('GET', `/sandbox/mailbox?to=${SEED_GMAIL}`);
  const code = /^(\d{6})/.exec(items[0]!.subject)![1]!;
  const { session_token: token } = await client.linkVerify(v.verification_id, code);
  const c = client.withToken(token);
  const o = await c.oauthStart('https://abcdefghijklmnop.chromiumapp.org/');
  const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
    state: o.state,
    username: 'alex.rivera',
  });
  const link = await c.oauthComplete(o.state, redirect_url);
  const [maya] = (await c.listConversations(link.link_id, 'maya.creates')).items;
  return { token, linkId: link.link_id, conversationId: maya!.conversation_id };
}

async function sendsOf(text: string, path: string) {
  const seen = await inspect();
  const copies = seen.conversations.flatMap((c) => c.messages).filter((m) => m.text === text && m.direction === 'out');
  const attempts = seen.requests.filter((r) => r.method === 'POST' && r.path === path);
  return { copies: copies.length, attempts };
}

describe('service client over the HTTP sandbox', () => {
  it('retries 5xx with the same Idempotency-Key and the message exists once', async () => {
    const { token, linkId, conversationId } = await linkedConversation();
    const { client, sleeps } = recording({ token, random: () => 0.999 });
    await faults(2, ['5xx'], { path_prefix: `/v1/links/${linkId}/conversations/` });
    const sent = await client.sendMessage(linkId, conversationId, { text: 'through two 500s' });
    expect(sent.text).toBe('through two 500s');

    const path = `/v1/links/${linkId}/conversations/${conversationId}/messages`;
    const { copies, attempts } = await sendsOf('through two 500s', path);
    expect(copies).toBe(1);
    expect(attempts.map((a) => [a.status, a.fault])).toEqual([
      [500, '5xx'],
      [500, '5xx'],
      [200, null],
    ]);
    const keys = new Set(attempts.map((a) => a.idempotency_key));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
    // exponential backoff with full jitter: random 0.999 of 300 ms, then of 600 ms
    expect(sleeps).toEqual([Math.floor(0.999 * BACKOFF_BASE_MS), Math.floor(0.999 * BACKOFF_BASE_MS * 2)]);
  });

  it('retries 502 upstream_error and 429 in one call, still with one key', async () => {
    const { token, linkId, conversationId } = await linkedConversation();
    const { client, sleeps } = recording({ token, random: () => 0 });
    await faults(2, ['502', '429']);
    await client.sendMessage(linkId, conversationId, { text: 'through 502 and 429' });
    const path = `/v1/links/${linkId}/conversations/${conversationId}/messages`;
    const { copies, attempts } = await sendsOf('through 502 and 429', path);
    expect(copies).toBe(1);
    expect(attempts.map((a) => [a.status, a.fault])).toEqual([
      [502, '502'],
      [429, '429'],
      [200, null],
    ]);
    expect(new Set(attempts.map((a) => a.idempotency_key)).size).toBe(1);
    expect(sleeps).toEqual([0, 1000]);
  });

  it('retries a dropped connection (the call had acted) with the same key: replayed, not sent twice', async () => {
    const { token, linkId, conversationId } = await linkedConversation();
    const { client, sleeps } = recording({ token });
    await faults(1, ['drop']);
    const key = crypto.randomUUID();
    const sent = await client.sendMessage(linkId, conversationId, { text: 'after a drop' }, key);
    const path = `/v1/links/${linkId}/conversations/${conversationId}/messages`;
    const { copies, attempts } = await sendsOf('after a drop', path);
    expect(copies).toBe(1);
    expect(attempts.map((a) => [a.idempotency_key, a.fault, a.replayed])).toEqual([
      [key, 'drop', false],
      [key, null, true],
    ]);
    expect(sleeps).toHaveLength(1);
    const thread = await client.listMessages(linkId, conversationId);
    expect(thread.items.filter((m) => m.message_id === sent.message_id)).toHaveLength(1);
  });

  it('backs off on 429 for at least retry_after_s', async () => {
    const { token, linkId } = await linkedConversation();
    const { client, sleeps } = recording({ token, random: () => 0 });
    await faults(2, ['429']);
    expect((await client.getLink(linkId)).link_id).toBe(linkId);
    expect(sleeps).toEqual([1000, 1000]); // the sandbox's 429 says retry_after_s 1; jitter 0 would be 0 ms
  });

  it('gives up after maxRetries: the last service error, or unreachable for network failures', async () => {
    const { token, linkId } = await linkedConversation();
    const { client, sleeps } = recording({ token, maxRetries: 2 });
    await faults(3, ['5xx']);
    expect(await failure(client.getLink(linkId))).toMatchObject({ code: 'internal_error', extra: { status: 500 } });
    expect(sleeps).toHaveLength(2);

    await faults(3, ['drop']);
    const dropped = await failure(client.getLink(linkId));
    expect(dropped.code).toBe('unreachable');
    expect(dropped.message).toContain(server.url);
  });

  it('never retries other 4xx', async () => {
    const { token, linkId, conversationId } = await linkedConversation();
    const { client, sleeps } = recording({ token });
    const path = `/v1/links/${linkId}/conversations/${conversationId}/messages`;
    expect((await failure(client.sendMessage(linkId, conversationId, { text: 'x'.repeat(6001) }))).code).toBe(
      'text_too_long',
    );
    expect((await failure(client.getLink('lnk_unknown'))).code).toBe('not_found');
    expect((await failure(recording().client.listLinks())).code).toBe('access_token_invalid');
    expect(sleeps).toEqual([]);
    expect((await sendsOf('x'.repeat(6001), path)).attempts).toHaveLength(1);
  });

  it('does not wait out a long retry_after_s (a locked verification) but hands it to the caller', async () => {
    const { client, sleeps } = recording();
    const v = await client.linkStart('locked.out@gmail.com');
    let last: AppError | null = null;
    for (let i = 0; i < 5; i++) last = await failure(client.linkVerify(v.verification_id, 'abcdef'));
    expect(last).toMatchObject({ code: 'too_many_attempts', extra: { status: 429 } });
    expect(last!.extra.retry_after_s).toBeGreaterThan(60);
    expect(sleeps).toEqual([]);
  });

  it('treats a timeout as a network failure and retries it', async () => {
    const { token, linkId } = await linkedConversation();
    const { client, sleeps } = recording({ token, timeoutMs: 150, maxRetries: 1 });
    await faults(1, ['delay'], { delay_ms: 1_000 });
    expect((await client.getLink(linkId)).link_id).toBe(linkId);
    expect(sleeps).toHaveLength(1);

    await faults(2, ['delay'], { delay_ms: 1_000 });
    expect(await failure(client.getLink(linkId))).toMatchObject({ code: 'unreachable' });
  });

  it('rejects malformed JSON and schema-breaking bodies from a 200 as bad_response, without retrying', async () => {
    const { token, linkId } = await linkedConversation();
    const { client, sleeps } = recording({ token });
    await faults(1, ['malformed']);
    expect((await failure(client.getLink(linkId))).code).toBe('bad_response');
    await faults(1, ['schema']);
    const broken = await failure(client.getLink(linkId));
    expect(broken.code).toBe('bad_response');
    expect(broken.message).toContain('schema');
    expect(sleeps).toEqual([]);
  });

  it('sends the bearer token, and an Idempotency-Key only on state-changing calls', async () => {
    const seen: { method: string; headers: Headers }[] = [];
    const client = createServiceClient({
      baseUrl: server.url,
      token: 'sess_abc',
      maxRetries: 0,
      fetch: async (input, init) => {
        seen.push({ method: init.method ?? 'GET', headers: new Headers(init.headers) });
        return fetch(input, init);
      },
    });
    await failure(client.listLinks());
    await failure(client.deleteLink('lnk_x', 'caller-key'));
    expect(seen.map((s) => [s.method, s.headers.get('authorization'), s.headers.get('idempotency-key')])).toEqual([
      ['GET', 'Bearer sess_abc', null],
      ['DELETE', 'Bearer sess_abc', 'caller-key'],
    ]);
  });
});

describe('service client details (stubbed fetch)', () => {
  const envelope = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
    new Response(JSON.stringify({ data: null, error: { message: 'x', log_id: 'L1', ...error } }), {
      status,
      headers: { 'content-type': 'application/json', ...headers },
    });

  function stubbed(answers: (() => Response)[]): { client: ServiceClient; sleeps: number[]; calls: () => number } {
    const sleeps: number[] = [];
    let n = 0;
    const client = createServiceClient({
      baseUrl: 'https://service.example',
      random: () => 0,
      sleep: async (ms) => void sleeps.push(ms),
      fetch: async () => answers[Math.min(n++, answers.length - 1)]!(),
    });
    return { client, sleeps, calls: () => n };
  }

  it('honours a Retry-After header when the body carries no retry_after_s', async () => {
    const ok = () =>
      new Response(
        JSON.stringify({
          data: { items: [], cursor: null, has_more: false },
          error: { code: 'ok', message: '', log_id: 'L2' },
        }),
      );
    const { client, sleeps } = stubbed([() => envelope(503, { code: 'upstream_error' }, { 'retry-after': '3' }), ok]);
    expect((await client.listLinks()).items).toEqual([]);
    expect(sleeps).toEqual([3000]);
  });

  it('retries a 5xx whose body is not JSON, and reports the service error after the last try', async () => {
    const { client, sleeps, calls } = stubbed([() => new Response('<html>Bad gateway</html>', { status: 502 })]);
    const e = await failure(client.advertisers());
    expect(e).toMatchObject({ code: 'upstream_error', extra: { status: 502 } });
    expect(calls()).toBe(4);
    expect(sleeps).toHaveLength(3);
  });

  it('carries the error envelope into AppError (status, details, log_id)', async () => {
    const { client, calls } = stubbed([
      () => envelope(409, { code: 'duplicate_request', details: { authorization_id: 'auth_1' } }),
    ]);
    const e = await failure(
      client.createAuthorization({ advertiser_id: 'a', username: 'maya.creates', permissions: ['spark_ads'] }),
    );
    expect(e).toMatchObject({
      code: 'duplicate_request',
      message: 'x',
      extra: { status: 409, details: { authorization_id: 'auth_1' }, log_id: 'L1' },
    });
    expect(calls()).toBe(1);
  });
});
