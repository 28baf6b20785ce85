/**
 * The black-box contract suite of the service API (../shared/service-api.md, 1.0 and 1.1): it needs nothing but a
 * base URL (and, for the authenticated calls, a session token and a link id) and the documented API — no
 * `/sandbox/` call, no shared process — so it runs against any server: `npm run test:contract -- --base-url URL
 * [--session TOKEN --link-id ID]` (black-box.test.ts), and inside `npm test` against the embedded and the HTTP
 * sandbox in both profiles (tests/unit/contract-sandbox.test.ts). It never acts on TikTok: every call it makes is a
 * read or a request the service must refuse before doing anything (bad bodies, too long texts, missing sessions).
 */
import { describe, expect, it } from 'vitest';
import { createServiceClient, type FetchLike } from '../../utils/api/client';
import { AppError } from '../../utils/api/errors';
import {
  AnyEnvelope,
  Conversation,
  EventsPage,
  Link,
  listOf,
  SERVICE_INFO_V1,
  ServiceInfo,
} from '../../utils/api/schemas';

export interface ContractTarget {
  baseUrl: string;
  /** The transport (default: the global fetch). */
  fetch?: FetchLike;
  /** A session token of a verified Gmail address: enables the authenticated cases. */
  session?: string;
  /** A link of that session: enables the cases about one linked account. */
  linkId?: string;
}

const KEY = () => `contract-${Math.random().toString(36).slice(2)}-${Date.now()}`;

/** Registers the suite; `target` is read when the tests run (a harness may make the session in `beforeAll`). */
export function contractSuite(name: string, target: () => ContractTarget): void {
  const t = () => target();
  const doFetch: FetchLike = (input, init) => (t().fetch ?? ((i, o) => fetch(i, o)))(input, init);

  async function raw(
    method: string,
    path: string,
    opts: { body?: string; token?: string | null; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
    if (opts.body !== undefined) headers['content-type'] = 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await doFetch(t().baseUrl.replace(/\/+$/, '') + path, {
      method,
      headers,
      ...(opts.body !== undefined && { body: opts.body }),
    });
    const text = await res.text();
    const env = AnyEnvelope.safeParse(JSON.parse(text));
    expect(env.success, `${method} ${path} answers the envelope: ${text.slice(0, 200)}`).toBe(true);
    return { status: res.status, headers: res.headers, text, env: env.data! };
  }
  const json = (x: unknown) => JSON.stringify(x);
  const client = (token: string | null = null) =>
    createServiceClient({ baseUrl: t().baseUrl, fetch: doFetch, token, maxRetries: 0 });
  async function refusal(p: Promise<unknown>): Promise<AppError> {
    const e = await p.then(
      () => null,
      (x: unknown) => x,
    );
    expect(e, 'the call is refused').toBeInstanceOf(AppError);
    return e as AppError;
  }
  /** Where a capability is off, its calls are refused (`not_supported` or `scope_not_authorized`): true when it is off. */
  async function refusedWhenOff(on: boolean, call: () => Promise<unknown>): Promise<boolean> {
    if (on) return false;
    expect(['not_supported', 'scope_not_authorized']).toContain((await refusal(call())).code);
    return true;
  }
  const expectRefused = (r: Awaited<ReturnType<typeof raw>>, status: number, code: string, field?: string) => {
    expect({ status: r.status, code: r.env.error.code }).toEqual({ status, code });
    expect(r.env.data).toBeNull();
    expect(r.env.error.message.length).toBeGreaterThan(0);
    expect(r.env.error.log_id.length).toBeGreaterThan(0);
    if (field) expect(r.env.error.details?.field).toBe(field);
  };
  let info: ServiceInfo = SERVICE_INFO_V1;

  describe(`service API contract: ${name}`, () => {
    describe('without a session', () => {
      it('describes itself at GET /v1/service (1.1), or is read as 1.0', async () => {
        info = await client().service();
        expect(ServiceInfo.parse(info)).toBeTruthy();
        if (info.api_version === '1.1')
          expect(info.notification_senders.every((s) => /^[^@\s]+@[^@\s]+$/.test(s))).toBe(true);
      });

      it('answers every response in the envelope, unknown endpoints with not_found', async () => {
        const ok = await raw('GET', '/v1/service');
        if (ok.status === 200) expect(ok.env.error).toMatchObject({ code: 'ok', message: '' });
        expectRefused(await raw('GET', '/v1/no-such-endpoint'), 404, 'not_found');
      });

      it('validates bodies: invalid_email, invalid_params naming the field, a body that is not JSON', async () => {
        expectRefused(
          await raw('POST', '/v1/link/start', { body: json({ email: 'not an email' }) }),
          400,
          'invalid_email',
          'email',
        );
        expectRefused(await raw('POST', '/v1/link/start', { body: json({}) }), 400, 'invalid_params', 'email');
        expectRefused(await raw('POST', '/v1/link/start', { body: '{"email": ' }), 400, 'invalid_params', 'body');
        expectRefused(
          await raw('POST', '/v1/link/verify', { body: json({ verification_id: 'ver_unknown' }) }),
          400,
          'invalid_params',
          'code',
        );
        expectRefused(
          await raw('POST', '/v1/link/resend', { body: json({ verification_id: 42 }) }),
          400,
          'invalid_params',
          'verification_id',
        );
      });

      it('answers not_found for an unknown verification', async () => {
        expectRefused(
          await raw('POST', '/v1/link/resend', { body: json({ verification_id: 'ver_does_not_exist' }) }),
          404,
          'not_found',
        );
        expectRefused(
          await raw('POST', '/v1/link/verify', {
            body: json({ verification_id: 'ver_does_not_exist', code: '000000' }),
          }),
          404,
          'not_found',
        );
      });

      it('refuses every authenticated call without a session or with a bad one (access_token_invalid, 401)', async () => {
        const calls: [string, string, string?][] = [
          ['GET', '/v1/links'],
          ['GET', '/v1/links/lnk_x'],
          ['DELETE', '/v1/links/lnk_x'],
          ['GET', '/v1/links/lnk_x/conversations?username=maya.creates'],
          ['POST', '/v1/links/lnk_x/conversations/cnv_x/messages', json({ text: 'hi' })],
          ['GET', '/v1/links/lnk_x/comments'],
          ['POST', '/v1/links/lnk_x/comments/1/replies', json({ text: 'hi' })],
          ['POST', '/v1/links/lnk_x/follows', json({ username: 'maya.creates' })],
          ['GET', '/v1/events'],
          ['POST', '/v1/tiktok/oauth/start', json({ redirect_uri: 'https://abcdefghijklmnop.chromiumapp.org/' })],
          ['GET', '/v1/ads/advertisers'],
          ['GET', '/v1/ads/authorizations'],
          ['GET', '/v1/ads/requests'],
        ];
        for (const [method, path, body] of calls) {
          for (const token of [null, 'sess_not_a_real_session'])
            expectRefused(await raw(method, path, { token, ...(body && { body }) }), 401, 'access_token_invalid');
        }
      });

      it('replays a refused call for the same Idempotency-Key, and refuses the key with another request', async () => {
        const key = KEY();
        const first = await raw('POST', '/v1/link/start', {
          body: json({ email: 'no-at-sign' }),
          headers: { 'idempotency-key': key },
        });
        expectRefused(first, 400, 'invalid_email');
        const again = await raw('POST', '/v1/link/start', {
          body: json({ email: 'no-at-sign' }),
          headers: { 'idempotency-key': key },
        });
        expect({ status: again.status, text: again.text }).toEqual({ status: first.status, text: first.text });
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expectRefused(
          await raw('POST', '/v1/link/start', {
            body: json({ email: 'other-no-at-sign' }),
            headers: { 'idempotency-key': key },
          }),
          400,
          'invalid_params',
          'Idempotency-Key',
        );
      });
    });

    describe('with a session', () => {
      const session = () => t().session;
      const authed = () => client(session()!);

      it('lists the links of the session, each a valid 1.1 Link', async (c) => {
        if (!session()) return c.skip();
        const page = await authed().listLinks();
        expect(listOf(Link).parse(page)).toBeTruthy();
        for (const l of page.items) {
          expect(l.status).not.toBe('revoked');
          const caps = l.capabilities;
          for (const k of ['messages', 'comments', 'follow'] as const)
            if (caps[k] === false && info.api_version === '1.1') expect(caps.reasons?.[k] ?? caps.reason).toBeTruthy();
        }
      });

      it('validates list queries (limit 1–100) and answers not_found for unknown ids', async (c) => {
        if (!session()) return c.skip();
        for (const limit of ['0', '101', 'x'])
          expectRefused(
            await raw('GET', `/v1/links?limit=${limit}`, { token: session()! }),
            400,
            'invalid_params',
            'limit',
          );
        expectRefused(await raw('GET', '/v1/links/lnk_does_not_exist', { token: session()! }), 404, 'not_found');
        expectRefused(
          await raw('GET', '/v1/ads/requests?status=bogus', { token: session()! }),
          400,
          'invalid_params',
          'status',
        );
      });

      it('feeds events with a cursor that can be passed again, and unread counts', async (c) => {
        if (!session()) return c.skip();
        const first = EventsPage.parse(await authed().events());
        const next = EventsPage.parse(await authed().events(first.cursor));
        expect(next.cursor).toBeTruthy();
        expect(next.items.every((e) => !first.items.some((f) => f.event_id === e.event_id))).toBe(true);
      });

      it('refuses a sign-in redirect that is not https (invalid_params redirect_uri)', async (c) => {
        if (!session()) return c.skip();
        expectRefused(
          await raw('POST', '/v1/tiktok/oauth/start', {
            token: session()!,
            body: json({ redirect_uri: 'http://example.com/cb' }),
          }),
          400,
          'invalid_params',
          'redirect_uri',
        );
      });
    });

    describe('with a linked account', () => {
      const ready = () => !!(t().session && t().linkId);
      const authed = () => client(t().session!);
      const linkPath = () => `/v1/links/${encodeURIComponent(t().linkId!)}`;

      it('gets the link, active, with 1.1 capabilities', async (c) => {
        if (!ready()) return c.skip();
        const link = Link.parse(await authed().getLink(t().linkId!));
        expect(link.status).toBe('active');
        if (info.api_version === '1.1') expect(typeof link.capabilities.follow).toBe('boolean');
      });

      it('where the link shows notification settings, changes only the kinds given and refuses unknown kinds and non-booleans', async (c) => {
        if (!ready()) return c.skip();
        const before = await authed().getLink(t().linkId!);
        if (!before.notifications) return c.skip(); // a service that does not email activity
        const flipped = !before.notifications.followers;
        const after = Link.parse(await authed().setLinkNotifications(before.link_id, { followers: flipped }));
        expect(after.notifications).toEqual({ ...before.notifications, followers: flipped });
        expect((await authed().getLink(before.link_id)).notifications).toEqual(after.notifications);
        const path = `${linkPath()}/notifications`;
        for (const [body, field] of [
          ['{"likes":true}', 'likes'],
          ['{"messages":"yes"}', 'messages'],
          ['{"comments":1}', 'comments'],
          ['[true]', 'body'],
        ] as const) {
          expectRefused(await raw('PATCH', path, { token: t().session!, body }), 400, 'invalid_params', field);
        }
        expectRefused(await raw('PATCH', path, { body: '{"messages":false}' }), 401, 'access_token_invalid');
        expect(
          (await authed().setLinkNotifications(before.link_id, { followers: before.notifications.followers }))
            .notifications,
        ).toEqual(before.notifications);
      });

      it('lists conversations where messages are on (else refuses with not_supported or scope_not_authorized), and refuses bad replies before sending', async (c) => {
        if (!ready()) return c.skip();
        const link = await authed().getLink(t().linkId!);
        if (await refusedWhenOff(link.capabilities.messages, () => authed().listConversations(link.link_id))) return;
        const page = await authed().listConversations(link.link_id);
        expect(listOf(Conversation).parse(page)).toBeTruthy();
        expectRefused(
          await raw('GET', `${linkPath()}/conversations/cnv_does_not_exist/messages`, { token: t().session! }),
          404,
          'not_found',
        );
        const convo = page.items[0];
        if (!convo) return;
        const path = `${linkPath()}/conversations/${encodeURIComponent(convo.conversation_id)}/messages`;
        const key = KEY();
        const tooLong = await raw('POST', path, {
          token: t().session!,
          body: json({ text: 'x'.repeat(6001) }),
          headers: { 'idempotency-key': key },
        });
        expectRefused(tooLong, 400, 'text_too_long');
        const replay = await raw('POST', path, {
          token: t().session!,
          body: json({ text: 'x'.repeat(6001) }),
          headers: { 'idempotency-key': key },
        });
        expect(replay.text).toBe(tooLong.text);
        expectRefused(
          await raw('POST', path, { token: t().session!, body: json({ text: '   ' }) }),
          400,
          'invalid_params',
          'text',
        );
      });

      it('lists comments where comments are on, and refuses a reply over 150 characters before sending', async (c) => {
        if (!ready()) return c.skip();
        const link = await authed().getLink(t().linkId!);
        if (await refusedWhenOff(link.capabilities.comments, () => authed().listComments(link.link_id))) return;
        const page = await authed().listComments(link.link_id);
        const top = page.items.find((x) => x.parent_comment_id === null);
        if (!top) return;
        expectRefused(
          await raw('POST', `${linkPath()}/comments/${encodeURIComponent(top.comment_id)}/replies`, {
            token: t().session!,
            body: json({ text: 'y'.repeat(151) }),
          }),
          400,
          'text_too_long',
        );
      });

      it('validates the follow username; where follow is off, answers not_supported with the profile as fallback_url', async (c) => {
        if (!ready()) return c.skip();
        expectRefused(
          await raw('POST', `${linkPath()}/follows`, {
            token: t().session!,
            body: json({ username: 'not a username!' }),
          }),
          400,
          'invalid_username',
          'username',
        );
        if (info.features.follow) return;
        const r = await raw('POST', `${linkPath()}/follows`, {
          token: t().session!,
          body: json({ username: 'maya.creates' }),
        });
        expectRefused(r, 501, 'not_supported');
        expect(r.env.error.details).toMatchObject({ fallback_url: 'https://www.tiktok.com/@maya.creates' });
      });
    });
  });
}
