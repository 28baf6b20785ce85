// @vitest-environment node
/**
 * The service API contract (../shared/service-api.md), run as ONE suite against both transports of the sandbox:
 * the embedded `handle` passed as fetch, and the loopback HTTP server on a random port through real fetch.
 * Success shapes are checked by the client, which parses every `data` with the endpoint's zod schema
 * (a break fails as `bad_response`); every error code is produced by the case that should produce it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createServiceClient, listAll, type FetchLike, type ServiceClient } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import {
  AnyEnvelope,
  Authorization,
  Conversation,
  ErrorCode,
  EventsPage,
  Link,
  Verification,
} from '@/utils/api/schemas';
import { createSandbox, SEED_GMAIL, type MailboxEmail } from '@/utils/sandbox';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';

interface Transport {
  name: string;
  setup(): Promise<{ baseUrl: string; fetch: FetchLike; close(): Promise<void> }>;
}

const transports: Transport[] = [
  {
    name: 'embedded handle',
    async setup() {
      const baseUrl = 'https://sandbox.invalid';
      const sandbox = createSandbox({
        authorizeUrl: (q) => `chrome-extension://test/sandbox-signin.html?${new URLSearchParams(q)}`,
      });
      return {
        baseUrl,
        fetch: (input, init) => sandbox.handle(new Request(input, init)),
        close: async () => undefined,
      };
    },
  },
  {
    name: 'HTTP server',
    async setup() {
      const server: SandboxServer = await startSandboxServer({ port: 0 });
      return { baseUrl: server.url, fetch: (input, init) => fetch(input, init), close: () => server.close() };
    },
  },
];

const REDIRECT = 'https://abcdefghijklmnop.chromiumapp.org/';
const ADMIN_ADV = '7301000000000000001';
const OPERATOR_ADV = '7301000000000000002';

describe.each(transports)('sandbox contract over $name', (transport) => {
  let baseUrl = '';
  let doFetch: FetchLike;
  let close: () => Promise<void>;
  let lastToken = '';
  /** Every error code this transport produced in the suite, checked against the table at the end. */
  const produced = new Set<string>();

  beforeAll(async () => {
    ({ baseUrl, fetch: doFetch, close } = await transport.setup());
  });
  afterAll(() => close());
  beforeEach(() => control('POST', '/sandbox/reset'));

  /* ---------- helpers ---------- */

  async function raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await doFetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const json = AnyEnvelope.parse(await res.json());
    if (path.startsWith('/v1/')) produced.add(json.error.code);
    return { status: res.status, headers: res.headers, json };
  }

  async function control<T = unknown>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const r = await raw(method, path, body);
    if (r.json.error.code !== 'ok') throw new Error(`${path}: ${r.json.error.code} ${r.json.error.message}`);
    return r.json.data as T;
  }

  const client = (token?: string): ServiceClient =>
    createServiceClient({ baseUrl, fetch: doFetch, token: token ?? null, maxRetries: 0 });

  async function failure(p: Promise<unknown>): Promise<AppError> {
    try {
      await p;
    } catch (e) {
      if (e instanceof AppError) {
        produced.add(e.code);
        return e;
      }
      throw e;
    }
    throw new Error('expected the call to fail');
  }

  const mailbox = async (to: string) =>
    (await control<{ items: MailboxEmail[] }>('GET', `/sandbox/mailbox?to=${encodeURIComponent(to)}`)).items;
  const codeIn = async (to: string) => /^(\d{6}) is your verification code$/.exec((await mailbox(to))[0]!.subject)![1]!;

  /** start → code from the mailbox → verify: a client with the session. */
  async function session(gmail = SEED_GMAIL): Promise<ServiceClient> {
    const v = await client().linkStart(gmail);
    const r = await client().linkVerify(v.verification_id, await codeIn(gmail));
    lastToken = r.session_token;
    return client(r.session_token);
  }

  /** The OAuth consent as the sign-in page would give it; returns the callback URL. */
  async function consent(c: ServiceClient, username: string | null) {
    const o = await c.oauthStart(REDIRECT);
    const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
      state: o.state,
      username,
    });
    return { state: o.state, callback: redirect_url };
  }

  async function linked(gmail = SEED_GMAIL, username = 'alex.rivera') {
    const c = await session(gmail);
    const { state, callback } = await consent(c, username);
    return { c, link: await c.oauthComplete(state, callback) };
  }

  /* ---------- 1. linking ---------- */

  it('links an account: code email, verify, sign in, list, get, unlink (which ends the session)', async () => {
    const v = await client().linkStart('  Alex.Rivera.Demo@gmail.com ');
    expect(Verification.parse(v)).toMatchObject({ email: SEED_GMAIL, status: 'code_sent', attempts_left: 5 });
    expect(Date.parse(v.expires_at) - Date.parse(v.resend_after)).toBe(9 * 60_000); // 10 min expiry, 60 s cooldown

    const [mail] = await mailbox(SEED_GMAIL);
    expect(mail!.from).toEqual({ name: 'TikTok', email: 'register@account.tiktok.com' });
    const code = /^(\d{6}) is your verification code$/.exec(mail!.subject)![1]!;
    expect(mail!.text).toContain(code);

    const verified = await client().linkVerify(v.verification_id, code);
    expect(verified.verification.status).toBe('verified');
    const c = client(verified.session_token);
    const o = await c.oauthStart(REDIRECT);
    expect(new URL(o.authorize_url).searchParams.get('state')).toBe(o.state);
    const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
      state: o.state,
      username: 'alex.rivera',
    });
    expect(redirect_url.startsWith(REDIRECT)).toBe(true);
    expect(new URL(redirect_url).searchParams.get('code')).toBeTruthy();

    const link = Link.parse(await c.oauthComplete(o.state, redirect_url));
    expect(link).toMatchObject({
      gmail: SEED_GMAIL,
      status: 'active',
      tiktok: { username: 'alex.rivera', account_type: 'personal' },
      capabilities: { messages: true, comments: true },
    });
    expect((await c.listLinks()).items.map((l) => l.link_id)).toEqual([link.link_id]);
    expect((await c.getLink(link.link_id)).tiktok.username).toBe('alex.rivera');

    const gone = await c.deleteLink(link.link_id);
    expect(gone.status).toBe('revoked');
    expect((await failure(c.listLinks())).code).toBe('access_token_invalid'); // last link: session ended
  });

  it('resends a code after the cooldown and refuses before it with rate_limit_exceeded and Retry-After', async () => {
    const v = await client().linkStart(SEED_GMAIL);
    const early = await raw('POST', '/v1/link/resend', { verification_id: v.verification_id });
    expect(early.status).toBe(429);
    expect(early.json.error).toMatchObject({ code: 'rate_limit_exceeded' });
    expect(early.json.error.retry_after_s).toBeGreaterThan(0);
    expect(Number(early.headers.get('retry-after'))).toBeGreaterThan(0);

    await control('POST', '/sandbox/clock', { advance_s: 61 });
    const again = await client().linkResend(v.verification_id);
    expect(again.status).toBe('code_sent');
    expect((await mailbox(SEED_GMAIL)).filter((m) => m.subject.endsWith('is your verification code'))).toHaveLength(2);
  });

  it('trims surrounding spaces only: inner spaces are invalid_email', async () => {
    expect((await failure(client().linkStart('alex rivera@gmail.com'))).code).toBe('invalid_email');
    expect((await failure(client().linkStart('alex.rivera@gmail .com'))).code).toBe('invalid_email');
    const e = await failure(client().linkStart('not-an-address'));
    expect(e).toMatchObject({ code: 'invalid_email', extra: { status: 400, details: { field: 'email' } } });
  });

  it('counts wrong codes down (invalid_code with attempts_left), then locks with too_many_attempts', async () => {
    const v = await client().linkStart(SEED_GMAIL);
    const code = await codeIn(SEED_GMAIL);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await failure(client().linkVerify(v.verification_id, wrong));
    expect(first).toMatchObject({ code: 'invalid_code', extra: { status: 400, details: { attempts_left: 4 } } });
    for (let i = 0; i < 3; i++) await failure(client().linkVerify(v.verification_id, wrong));
    const locked = await failure(client().linkVerify(v.verification_id, wrong));
    expect(locked.code).toBe('too_many_attempts');
    expect(locked.extra.retry_after_s).toBeGreaterThan(0);
    // even the right code is refused while locked, and so is a new start for that address
    expect((await failure(client().linkVerify(v.verification_id, code))).code).toBe('too_many_attempts');
    expect((await failure(client().linkStart(SEED_GMAIL))).code).toBe('too_many_attempts');
  });

  it('expires a code after 10 minutes (code_expired)', async () => {
    const v = await client().linkStart(SEED_GMAIL);
    const code = await codeIn(SEED_GMAIL);
    await control('POST', '/sandbox/clock', { advance_s: 601 });
    expect(await failure(client().linkVerify(v.verification_id, code))).toMatchObject({
      code: 'code_expired',
      extra: { status: 410 },
    });
  });

  it('rate-limits link/start per address with rate_limit_exceeded and a Retry-After header', async () => {
    for (let i = 0; i < 5; i++) await client().linkStart('someone.new@gmail.com');
    const r = await raw('POST', '/v1/link/start', { email: 'someone.new@gmail.com' });
    expect(r.status).toBe(429);
    expect(r.json.error.code).toBe('rate_limit_exceeded');
    expect(Number(r.headers.get('retry-after'))).toBe(Math.ceil(r.json.error.retry_after_s!));
  });

  it('refuses an account whose email differs (email_mismatch) and one linked elsewhere (already_linked)', async () => {
    const c = await session();
    const mismatch = await consent(c, 'alex.rivera.music');
    expect(await failure(c.oauthComplete(mismatch.state, mismatch.callback))).toMatchObject({
      code: 'email_mismatch',
      extra: { status: 409 },
    });
    const elsewhere = await consent(c, 'alexr.cooks');
    expect(await failure(c.oauthComplete(elsewhere.state, elsewhere.callback))).toMatchObject({
      code: 'already_linked',
      extra: { status: 409 },
    });
  });

  it('accepts only https (or loopback http) redirect URIs for the sign-in', async () => {
    const c = await session();
    for (const bad of [
      'javascript:alert(1)',
      'http://evil.example/cb',
      'https://abcdefghijklmnop.chromiumapp.org/#x',
    ]) {
      expect(await failure(c.oauthStart(bad))).toMatchObject({
        code: 'invalid_params',
        extra: { details: { field: 'redirect_uri' } },
      });
    }
    expect((await c.oauthStart('http://127.0.0.1:9/cb')).state).toBeTruthy();
  });

  it('maps a denied consent to permission_denied with details.reason access_denied', async () => {
    const c = await session();
    const { state, callback } = await consent(c, null);
    expect(new URL(callback).searchParams.get('error')).toBe('access_denied');
    expect(await failure(c.oauthComplete(state, callback))).toMatchObject({
      code: 'permission_denied',
      extra: { details: { reason: 'access_denied' } },
    });
  });

  it('lets any Gmail address link an account made for it, so two addresses link side by side', async () => {
    const a = await linked(SEED_GMAIL, 'alex.rivera');
    const c = await session('second.user@gmail.com');
    const o = await c.oauthStart(REDIRECT);
    const { accounts } = await control<{ accounts: { username: string; email: string }[] }>(
      'GET',
      `/sandbox/oauth/accounts?state=${o.state}`,
    );
    const own = accounts.find((x) => x.email === 'second.user@gmail.com')!;
    const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
      state: o.state,
      username: own.username,
    });
    const b = await c.oauthComplete(o.state, redirect_url);
    expect(b.gmail).toBe('second.user@gmail.com');
    expect((await c.listLinks()).items.map((l) => l.link_id)).toEqual([b.link_id]);
    expect(await failure(c.getLink(a.link.link_id))).toMatchObject({ code: 'permission_denied' });
  });

  it('answers access_token_invalid without a valid session and not_found for unknown ids', async () => {
    expect(await failure(client().listLinks())).toMatchObject({ code: 'access_token_invalid', extra: { status: 401 } });
    expect(await failure(client('sess_forged').events())).toMatchObject({ code: 'access_token_invalid' });
    const c = await session();
    expect(await failure(c.getLink('lnk_nope'))).toMatchObject({ code: 'not_found', extra: { status: 404 } });
    expect(await failure(c.getAuthorization('auth_nope'))).toMatchObject({ code: 'not_found' });
    expect((await raw('GET', '/v1/nothing-here')).json.error.code).toBe('not_found');
  });

  it('marks a link reauth_required when TikTok refuses the grant', async () => {
    const { c, link } = await linked();
    await control('POST', '/sandbox/reauth', { link_id: link.link_id });
    expect(await failure(c.listConversations(link.link_id))).toMatchObject({
      code: 'reauth_required',
      extra: { status: 401 },
    });
    expect((await c.getLink(link.link_id)).status).toBe('reauth_required');
  });

  it('keeps the scopes left ticked at consent: capabilities say what is missing, calls answer scope_not_authorized', async () => {
    const c = await session();
    const o = await c.oauthStart(REDIRECT);
    const { redirect_url } = await control<{ redirect_url: string }>('POST', '/sandbox/oauth/decide', {
      state: o.state,
      username: 'alex.rivera',
      scopes: ['comment.list', 'comment.reply'],
    });
    const link = await c.oauthComplete(o.state, redirect_url);
    expect(link.scopes).toEqual(['user.info.basic', 'comment.list', 'comment.reply']);
    expect(link.capabilities).toMatchObject({
      messages: false,
      comments: true,
      reason: expect.stringContaining('direct messages'),
    });
    expect(await failure(c.listConversations(link.link_id, 'maya.creates'))).toMatchObject({
      code: 'scope_not_authorized',
      extra: { status: 403, details: { scope: 'direct_message.read' } },
    });
    expect((await failure(c.follow(link.link_id, { username: 'maya.creates' }))).code).toBe('scope_not_authorized');
    expect((await c.listComments(link.link_id)).items.length).toBeGreaterThan(0);
  });

  /* ---------- 2. activity ---------- */

  it('lists conversations with a user and sends a reply that updates the reply window', async () => {
    const { c, link } = await linked();
    const { items } = await c.listConversations(link.link_id, 'maya.creates');
    expect(items).toHaveLength(1);
    const convo = Conversation.parse(items[0]);
    expect(convo.reply_window).toMatchObject({ state: 'open', messages_remaining: 10 });
    const msgs = await c.listMessages(link.link_id, convo.conversation_id);
    expect(msgs.items[0]!.direction).toBe('in'); // newest first
    const sent = await c.sendMessage(link.link_id, convo.conversation_id, { text: 'Yes, let’s do it! 🎬' });
    expect(sent).toMatchObject({
      direction: 'out',
      text: 'Yes, let’s do it! 🎬',
      reply_window: { state: 'open', messages_remaining: 9 },
    });
    expect((await c.listMessages(link.link_id, convo.conversation_id)).items[0]!.message_id).toBe(sent.message_id);
  });

  it('refuses replies 48 h after the last message (reply_window_expired) and after 10 unanswered (message_quota_exceeded)', async () => {
    const { c, link } = await linked();
    const [jordan] = (await c.listConversations(link.link_id, 'jordan_films')).items; // last message 47 h ago
    await c.sendMessage(link.link_id, jordan!.conversation_id, { text: 'Sure!' });
    await control('POST', '/sandbox/clock', { advance_s: 3_601 });
    expect(await failure(c.sendMessage(link.link_id, jordan!.conversation_id, { text: 'Still there?' }))).toMatchObject(
      { code: 'reply_window_expired', extra: { status: 409 } },
    );

    const [dev] = (await c.listConversations(link.link_id, 'dev.kim')).items;
    expect(dev!.reply_window.messages_remaining).toBe(0);
    expect(await failure(c.sendMessage(link.link_id, dev!.conversation_id, { text: 'One more' }))).toMatchObject({
      code: 'message_quota_exceeded',
    });
    // an answer from the other user reopens the window
    await control('POST', '/sandbox/simulate', {
      type: 'message',
      to_gmail: SEED_GMAIL,
      from_username: 'dev.kim',
      text: 'Yes please',
    });
    expect(
      (await c.sendMessage(link.link_id, dev!.conversation_id, { text: 'Great' })).reply_window.messages_remaining,
    ).toBe(9);
  });

  it('enforces 6000 characters per message and 150 graphemes per comment reply (text_too_long)', async () => {
    const { c, link } = await linked();
    const [maya] = (await c.listConversations(link.link_id, 'maya.creates')).items;
    expect(await failure(c.sendMessage(link.link_id, maya!.conversation_id, { text: 'a'.repeat(6001) }))).toMatchObject(
      { code: 'text_too_long', extra: { status: 400 } },
    );
    await c.sendMessage(link.link_id, maya!.conversation_id, { text: 'a'.repeat(6000) });

    const comments = await c.listComments(link.link_id, { username: 'lina.travels' });
    const target = comments.items[0]!;
    const family = '👨‍👩‍👧'; // one grapheme, 8 UTF-16 units
    expect(await failure(c.replyComment(link.link_id, target.comment_id, { text: family.repeat(151) }))).toMatchObject({
      code: 'text_too_long',
    });
    const ok = await c.replyComment(link.link_id, target.comment_id, { text: family.repeat(150) });
    expect(ok).toMatchObject({ parent_comment_id: target.comment_id, username: 'alex.rivera', status: 'published' });
  });

  it('lists comments by user and video and holds a reply with a URL for review', async () => {
    const { c, link } = await linked();
    const { items } = await c.listComments(link.link_id, { username: 'maya.creates', video_id: '7301234567890123456' });
    expect(items.map((x) => x.username).sort()).toEqual(['alex.rivera', 'maya.creates']); // her comment and its reply
    const top = items.find((x) => x.parent_comment_id === null)!;
    const reply = await c.replyComment(link.link_id, top.comment_id, { text: 'Details at www.rivera-coffee.com' });
    expect(reply.status).toBe('pending_review');
  });

  it('follows a user and validates usernames; says whom the account already follows', async () => {
    const { c, link } = await linked();
    expect(await c.followStatus(link.link_id, 'maya.creates')).toEqual({ username: 'maya.creates', following: true }); // seed
    expect(await c.followStatus(link.link_id, 'lina.travels')).toEqual({ username: 'lina.travels', following: false });
    expect((await failure(c.followStatus(link.link_id, 'bad name'))).code).toBe('invalid_username');
    expect(await c.follow(link.link_id, { username: 'lina.travels' })).toEqual({
      username: 'lina.travels',
      following: true,
    });
    expect(await c.followStatus(link.link_id, 'lina.travels')).toEqual({ username: 'lina.travels', following: true });
    expect((await failure(c.follow(link.link_id, { username: 'bad name' }))).code).toBe('invalid_username');
    expect((await failure(c.follow(link.link_id, { username: 'nobody_here' }))).code).toBe('not_found');
    const seen = await control<{ follows: { follower: string; username: string }[] }>('GET', '/sandbox/inspect');
    expect(seen.follows).toContainEqual({ follower: 'alex.rivera', username: 'lina.travels', at: expect.any(String) });
  });

  it('feeds events oldest first with a cursor and unread counts', async () => {
    const { c } = await linked();
    const first = EventsPage.parse(await c.events());
    expect(first.items.map((e) => e.type)).toEqual(['link.status_changed']);
    for (const type of ['message', 'comment', 'follower'] as const)
      await control('POST', '/sandbox/simulate', { type, to_gmail: SEED_GMAIL });
    const next = await c.events(first.cursor);
    expect(next.items.map((e) => e.type)).toEqual(['message.received', 'comment.received', 'follower.new']);
    expect(next.items[0]!.ref.username).toBe('maya.creates');
    expect(next.unread).toMatchObject({ messages: 3, comments: 4, followers: 2 });
    expect((await c.events(next.cursor)).items).toEqual([]);
    const paged = await c.events(first.cursor, 2);
    expect(paged).toMatchObject({ has_more: true });
  });

  it('writes activity emails that name @username and link to TikTok', async () => {
    await control('POST', '/sandbox/simulate', {
      type: 'comment',
      to_gmail: SEED_GMAIL,
      from_username: 'jordan_films',
      video_id: '7301234567890123457',
    });
    const [mail] = await mailbox(SEED_GMAIL);
    expect(mail!.from.email).toBe('notification@service.tiktok.com');
    expect(mail!.subject).toContain('@jordan_films');
    expect(mail!.text).toContain('@jordan_films');
    expect(mail!.text).toContain('This email was generated for alex.rivera.');
    expect(mail!.links.map((l) => l.href)).toContain('https://www.tiktok.com/@alex.rivera/video/7301234567890123457');
  });

  /* ---------- idempotency ---------- */

  it('replays the first result for the same Idempotency-Key and body, and refuses the key with another body', async () => {
    const { c, link } = await linked();
    const [maya] = (await c.listConversations(link.link_id, 'maya.creates')).items;
    const key = crypto.randomUUID();
    const a = await c.sendMessage(link.link_id, maya!.conversation_id, { text: 'Only once' }, key);
    const b = await c.sendMessage(link.link_id, maya!.conversation_id, { text: 'Only once' }, key);
    expect(b).toEqual(a);
    const seen = await control<{ conversations: { conversation_id: string; messages: { text: string }[] }[] }>(
      'GET',
      '/sandbox/inspect',
    );
    expect(
      seen.conversations
        .find((x) => x.conversation_id === maya!.conversation_id)!
        .messages.filter((m) => m.text === 'Only once'),
    ).toHaveLength(1);
    expect(
      await failure(c.sendMessage(link.link_id, maya!.conversation_id, { text: 'Something else' }, key)),
    ).toMatchObject({
      code: 'invalid_params',
      extra: { details: { field: 'Idempotency-Key' } },
    });
  });

  /* ---------- 3. Ads Manager ---------- */

  it('lists advertisers with roles and creates, lists and gets an authorization (admin)', async () => {
    const { c } = await linked();
    const advs = await c.advertisers();
    expect(advs.items.map((a) => [a.advertiser_id, a.role])).toEqual([
      [ADMIN_ADV, 'admin'],
      [OPERATOR_ADV, 'operator'],
      ['7301000000000000003', 'analyst'],
    ]);
    const a = Authorization.parse(
      await c.createAuthorization({
        advertiser_id: ADMIN_ADV,
        username: 'sam.eats',
        permissions: ['spark_ads', 'analytics'],
      }),
    );
    expect(a).toMatchObject({
      status: 'pending',
      tiktok: { username: 'sam.eats' },
      permissions: { requested: ['spark_ads', 'analytics'], granted: [] },
    });
    expect(Date.parse(a.expires_at!) - Date.parse(a.requested_at)).toBe(7 * 86_400_000);
    expect((await c.getAuthorization(a.authorization_id)).authorization_id).toBe(a.authorization_id);
    const pending = await listAll((cursor) =>
      c.listAuthorizations({ advertiser_id: ADMIN_ADV, status: 'pending', ...(cursor && { cursor }) }),
    );
    expect(pending.map((x) => x.tiktok.username).sort()).toEqual(['maya.creates', 'sam.eats']);
    expect(
      (await failure(c.createAuthorization({ advertiser_id: ADMIN_ADV, username: 'bad.', permissions: ['spark_ads'] })))
        .code,
    ).toBe('invalid_username');
  });

  it('refuses a second open request (duplicate_request with details.authorization_id) and non-admin roles (permission_denied)', async () => {
    const { c } = await linked();
    const first = await c.createAuthorization({
      advertiser_id: ADMIN_ADV,
      username: 'lina.travels',
      permissions: ['spark_ads'],
    });
    expect(
      await failure(
        c.createAuthorization({ advertiser_id: ADMIN_ADV, username: 'lina.travels', permissions: ['live'] }),
      ),
    ).toMatchObject({
      code: 'duplicate_request',
      extra: { status: 409, details: { authorization_id: first.authorization_id } },
    });
    expect(
      await failure(
        c.createAuthorization({ advertiser_id: OPERATOR_ADV, username: 'lina.travels', permissions: ['spark_ads'] }),
      ),
    ).toMatchObject({
      code: 'permission_denied',
      extra: { status: 403 },
    });
  });

  it('refuses patch, resend and delete once the user is no longer admin (permission_denied), and hides advertisers without a role', async () => {
    const { c } = await linked();
    const mine = await c.createAuthorization({
      advertiser_id: ADMIN_ADV,
      username: 'dev.kim',
      permissions: ['spark_ads'],
    });
    await control('POST', '/sandbox/roles', { advertiser_id: ADMIN_ADV, gmail: SEED_GMAIL, role: 'analyst' });
    expect((await c.advertisers()).items.find((a) => a.advertiser_id === ADMIN_ADV)!.role).toBe('analyst');
    expect((await c.getAuthorization(mine.authorization_id)).status).toBe('pending'); // still visible
    const calls = [
      () => c.patchAuthorization(mine.authorization_id, ['spark_ads']),
      () => c.resendAuthorization(mine.authorization_id),
      () => c.deleteAuthorization(mine.authorization_id),
    ];
    for (const call of calls) {
      expect(await failure(call())).toMatchObject({
        code: 'permission_denied',
        extra: { status: 403, details: { role: 'analyst' } },
      });
    }
    await control('POST', '/sandbox/roles', { advertiser_id: ADMIN_ADV, gmail: SEED_GMAIL, role: null });
    expect((await c.advertisers()).items.map((a) => a.advertiser_id)).not.toContain(ADMIN_ADV);
    expect((await failure(c.getAuthorization(mine.authorization_id))).code).toBe('not_found');
  });

  it('patches only while authorized, resends only when rejected or expired, deletes to revoked, expires pending after 7 days', async () => {
    const { c } = await linked();
    const all = (await c.listAuthorizations({ advertiser_id: ADMIN_ADV })).items;
    const authorized = all.find((a) => a.status === 'authorized')!;
    const rejected = all.find((a) => a.status === 'rejected')!;
    const pending = all.find((a) => a.status === 'pending')!;

    expect((await c.patchAuthorization(authorized.authorization_id, ['spark_ads'])).permissions.granted).toEqual([
      'spark_ads',
    ]);
    expect((await failure(c.patchAuthorization(pending.authorization_id, ['spark_ads']))).code).toBe('invalid_params');
    expect((await failure(c.resendAuthorization(pending.authorization_id))).code).toBe('invalid_params');
    expect((await c.resendAuthorization(rejected.authorization_id)).status).toBe('pending');
    expect((await c.deleteAuthorization(authorized.authorization_id)).status).toBe('revoked');

    await control('POST', '/sandbox/clock', { advance_s: 7 * 86_400 });
    expect((await c.getAuthorization(pending.authorization_id)).status).toBe('expired');
    expect((await c.resendAuthorization(pending.authorization_id)).status).toBe('pending');
  });

  it('lets the owner approve a subset or reject requests to their linked accounts, with the review link in the email', async () => {
    const { c } = await linked();
    const { event } = await control<{ event: { type: string; ref: { authorization_id: string } } }>(
      'POST',
      '/sandbox/simulate',
      {
        type: 'ads_request',
        to_gmail: SEED_GMAIL,
        permissions: ['spark_ads', 'analytics', 'live'],
      },
    );
    expect(event.type).toBe('ads_request.received');
    const id = event.ref.authorization_id;
    const [mail] = await mailbox(SEED_GMAIL);
    expect(mail!.from.name).toBe('TikTok For Business');
    expect(mail!.links.some((l) => new URL(l.href).searchParams.get('authorization_id') === id)).toBe(true);

    const open = await c.listRequests({ status: 'pending' });
    expect(open.items.map((a) => a.authorization_id)).toEqual([id]);
    const approved = await c.approveRequest(id, ['spark_ads']);
    expect(approved).toMatchObject({ status: 'authorized', permissions: { granted: ['spark_ads'] } });
    expect((await failure(c.rejectRequest(id))).code).toBe('invalid_params');

    const other = await control<{ event: { ref: { authorization_id: string } } }>('POST', '/sandbox/simulate', {
      type: 'ads_request',
      to_gmail: SEED_GMAIL,
      advertiser_id: ADMIN_ADV,
    });
    expect((await c.rejectRequest(other.event.ref.authorization_id)).status).toBe('rejected');
    // someone else's request is not ours to decide
    const stranger = (await c.listAuthorizations({ status: 'pending' })).items.find(
      (a) => a.tiktok.username === 'maya.creates',
    )!;
    expect((await failure(c.approveRequest(stranger.authorization_id, ['spark_ads']))).code).toBe('permission_denied');
  });

  it('answers bad bodies and queries with invalid_params naming the field, inside the envelope', async () => {
    const { link } = await linked();
    const auth = { authorization: `Bearer ${lastToken}` };
    const r = await raw('POST', `/v1/links/${link.link_id}/follows`, { user: 'x' }, auth);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ data: null, error: { code: 'invalid_params', details: { field: 'username' } } });
    expect(r.json.error.log_id).toBeTruthy();
    const limit = await raw('GET', '/v1/links?limit=1000', undefined, auth);
    expect(limit.json.error).toMatchObject({ code: 'invalid_params', details: { field: 'limit' } });
  });

  it('answers injected faults with internal_error (500) and upstream_error (502) in the envelope, before acting', async () => {
    await control('POST', '/sandbox/faults', { count: 2, kinds: ['5xx', '502'], path_prefix: '/v1/link/' });
    const a = await raw('POST', '/v1/link/start', { email: SEED_GMAIL });
    const b = await raw('POST', '/v1/link/start', { email: SEED_GMAIL });
    expect([a.status, a.json.error.code, b.status, b.json.error.code]).toEqual([
      500,
      'internal_error',
      502,
      'upstream_error',
    ]);
    expect(await mailbox(SEED_GMAIL)).toEqual([]); // nothing was sent
    expect((await raw('POST', '/v1/link/start', { email: SEED_GMAIL })).json.error.code).toBe('ok');
  });

  /* ---------- 1.1: discovery, and the tiktok-like profile (what a real deployment can and cannot do) ---------- */

  it('describes itself at GET /v1/service, and the tiktok-like profile turns off follow and in-API Ads approval', async () => {
    expect(await client().service()).toMatchObject({
      api_version: '1.1',
      tiktok: 'simulated',
      features: { follow: true, ads: true, ads_approve_in_api: true, reply_by_email: false },
    });
    expect((await client().service()).notification_senders).toContain('notification@service.tiktok.com');
    await control('POST', '/sandbox/profile', { profile: 'tiktok-like' });
    expect((await client().service()).features).toMatchObject({ follow: false, ads: true, ads_approve_in_api: false });
    const bad = await raw('POST', '/sandbox/profile', { profile: 'real' });
    expect(bad).toMatchObject({
      status: 400,
      json: { error: { code: 'invalid_params', details: { field: 'profile' } } },
    });
  });

  it('tiktok-like: links without email_mismatch; personal accounts get messages and comments off with reasons; follow is not_supported', async () => {
    await control('POST', '/sandbox/profile', { profile: 'tiktok-like' });
    const { link: music } = await linked(SEED_GMAIL, 'alex.rivera.music'); // its TikTok email differs: a real TikTok cannot know
    expect(music.status).toBe('active');
    const { c, link } = await linked(SEED_GMAIL, 'alex.rivera');
    expect(link.capabilities).toMatchObject({ messages: false, comments: false, follow: false });
    expect(link.capabilities.reasons).toMatchObject({
      messages: expect.stringContaining('Business'),
      comments: expect.stringContaining('Business'),
      follow: expect.any(String),
    });
    expect(music.capabilities).toMatchObject({ messages: true, comments: true, follow: false });
    const off = await failure(c.listConversations(link.link_id, 'maya.creates'));
    expect(off).toMatchObject({ code: 'not_supported', extra: { status: 501 } });
    let calls = 0;
    const counting = createServiceClient({
      baseUrl,
      fetch: (i, init) => (calls++, doFetch(i, init)),
      token: lastToken,
      maxRetries: 3,
      sleep: async () => undefined,
    });
    const e = await failure(counting.follow(link.link_id, { username: 'maya.creates' }));
    expect(e.code).toBe('not_supported');
    expect(e.extra.details).toMatchObject({
      fallback_url: 'https://www.tiktok.com/@maya.creates',
      reason: expect.any(String),
    });
    expect(calls).toBe(1); // not_supported is never retried
    const status = await raw('GET', `/v1/links/${link.link_id}/follows/maya.creates`, undefined, {
      authorization: `Bearer ${lastToken}`,
    });
    expect(status).toMatchObject({
      status: 501,
      json: { error: { code: 'not_supported', details: { fallback_url: 'https://www.tiktok.com/@maya.creates' } } },
    });
  });

  it('tiktok-like: follower events are counts without usernames while the email still names the user; Ads are approved through invite_url', async () => {
    await control('POST', '/sandbox/profile', { profile: 'tiktok-like' });
    const { c } = await linked(SEED_GMAIL, 'alex.rivera');
    const first = await c.events();
    const { email } = await control<{ email: MailboxEmail }>('POST', '/sandbox/simulate', {
      type: 'follower',
      to_gmail: SEED_GMAIL,
      from_username: 'dev.kim',
    });
    expect(email.subject).toContain('@dev.kim');
    const [follower] = (await c.events(first.cursor)).items;
    expect(follower).toMatchObject({ type: 'follower.new', ref: { count: 1 } });
    expect(follower!.ref.username).toBeUndefined();

    await control('POST', '/sandbox/simulate', { type: 'ads_request', to_gmail: SEED_GMAIL });
    const [request] = (await c.listRequests({ status: 'pending' })).items;
    expect(request!.invite_url).toMatch(/^https:\/\/ads\.tiktok\.com\//);
    const refused = await failure(c.approveRequest(request!.authorization_id, ['spark_ads']));
    expect(refused).toMatchObject({ code: 'not_supported', extra: { details: { fallback_url: request!.invite_url } } });
    expect((await failure(c.rejectRequest(request!.authorization_id))).code).toBe('not_supported');
    await control('POST', `/sandbox/owner/${request!.authorization_id}/approve`, { permissions: ['spark_ads'] });
    const decided = await c.listRequests({ status: 'authorized' });
    expect(decided.items.find((a) => a.authorization_id === request!.authorization_id)).toMatchObject({
      status: 'authorized',
      permissions: { granted: ['spark_ads'] },
    });
    expect(decided.items[0]!.invite_url).toBeUndefined();
  });

  it('has produced every error code of the table (this runs last)', () => {
    expect([...produced].sort()).toEqual([...ErrorCode.options].sort());
  });
});
