/**
 * A TikTok API emulator on 127.0.0.1 built from the documented shapes (research real-service.md §2–§3), so the
 * server can be tested against "TikTok" with no network. One origin serves all three bases:
 *
 * - `authUrl` = `<origin>/v2/auth/authorize/`: the sign-in page (one Allow button per account, and Deny); the form
 *   posts back and is answered with a 302 to the `redirect_uri` carrying `code`, `scopes`, `state` (or `error`).
 * - `openApiUrl` = `<origin>`: Login Kit `/v2/oauth/token/` (form body, PKCE checked), `/v2/oauth/revoke/`,
 *   `/v2/user/info/` (Bearer), envelope `{data, error:{code, message, log_id}}`.
 * - `businessApiUrl` = `<origin>/open_api`: `/v1.3/tt_user/oauth2/{token,refresh_token,revoke}/`, `business/get/`,
 *   `business/message/{conversation/list,content/list,send}/`, `business/comment/{list,reply/create}/`, header
 *   `Access-Token`, envelope `{code, message, request_id, data}`, ids as bare numbers above 2^53.
 *
 * - Business Center (Ads): `bc/asset/account/authorization/` (its invite link) and `bc/asset/get/` (its TikTok
 *   accounts and their `relation_status`), with the Business Center's own `Access-Token` (`bc.accessToken`).
 *
 * Test controls (plain methods, no HTTP): `addAccount`, `bcDecide` (an owner opened the invite link in TikTok), `incomingMessage` / `incomingComment` (+ the signed webhook),
 * `deliver` (signed, any number of times, late, in any order), `expireTokens`, `refuseRefresh`, `fail` (5xx, 429,
 * 40100, 40102, a timeout or a dropped connection, before or after TikTok acted), `calls` (every request) and
 * `sentMessages` / `replies` (what really reached TikTok).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { bigId, bigIdJson } from './tiktok-json';

export interface EmulatedAccount {
  open_id: string;
  username: string;
  display_name: string;
  account_type: 'business' | 'personal';
  followers_count: number;
}
export interface EmulatedMessage {
  message_id: string;
  conversation_id: string;
  from_id: string;
  to_id: string;
  text: string;
  timestamp: number;
}
export interface EmulatedComment {
  comment_id: string;
  video_id: string;
  parent_comment_id: string;
  owner_id: string;
  username: string;
  display_name: string;
  text: string;
  create_time: number;
}
export type FaultKind = 'http500' | 'http429' | 'code40100' | 'code40102' | 'timeout' | 'drop';
interface Fault {
  match: string;
  kind: FaultKind;
  /** true: TikTok did the work, then the answer failed (an unknown outcome for the caller). */
  acted: boolean;
  left: number;
}
interface Grant {
  open_id: string;
  scopes: string[];
  expires_at: number;
  kind: 'business' | 'login_kit';
}
interface AuthCode {
  open_id: string;
  scopes: string[];
  redirect_uri: string;
  code_challenge: string | null;
  used: boolean;
}
export interface WebhookEvent {
  client_key: string;
  event: string;
  create_time: number;
  user_openid: string;
  content: string;
}
export interface EmulatorCall {
  method: string;
  path: string;
  body: string;
}

export interface EmulatorOptions {
  clientKey?: string;
  clientSecret?: string;
  /** Where signed webhooks go (settable later with `webhookUrl`). */
  webhookUrl?: string;
  /** Scopes the app is approved for; asking for another one fails the authorize request with `invalid_scope`. */
  approvedScopes?: string[];
  /** How the PKCE challenge is encoded (TikTok's desktop guide: hex; web integrators: base64url). */
  pkce?: 'hex' | 'base64url';
  accessTtlS?: number;
}

const DEFAULT_SCOPES = [
  'user.info.basic',
  'user.info.username',
  'user.info.profile',
  'user.info.stats',
  'user.account.type',
  'message.list.read',
  'message.list.send',
  'message.list.manage',
  'comment.list',
  'comment.list.manage',
];

/** The operator's Business Center: its id, its admin's token, the link owners open, its TikTok accounts' status. */
export interface EmulatedBusinessCenter {
  bcId: string;
  accessToken: string;
  inviteUrl: string;
  /** username → `BOUND` / `PENDING` / `REJECTED` / `UNBOUND`. */
  accounts: Map<string, string>;
}

let seq = 0;
/** A TikTok-like id above 2^53. */
const longId = () => `73${Date.now()}${String(++seq).padStart(5, '0')}`;

export class TikTokEmulator {
  readonly clientKey: string;
  readonly clientSecret: string;
  webhookUrl: string | undefined;
  approvedScopes: string[];
  pkce: 'hex' | 'base64url';
  accessTtlS: number;
  origin = '';
  readonly accounts = new Map<string, EmulatedAccount>();
  readonly messages: EmulatedMessage[] = [];
  readonly comments: EmulatedComment[] = [];
  readonly calls: EmulatorCall[] = [];
  /** Delivered webhook attempts and the HTTP status the server answered. */
  readonly deliveries: { event: string; status: number }[] = [];
  readonly bc: EmulatedBusinessCenter = {
    bcId: '7012345678901234567',
    accessToken: 'bc.test_business_center_token',
    inviteUrl: `https://business.tiktok.com/bc/authorize/?invite=${randomBytes(8).toString('hex')}`,
    accounts: new Map(),
  };
  /** Hold the send's answer until its echo webhook was delivered (the race Chatwoot delays for). */
  echoBeforeAnswer = false;
  /** Every access and refresh token issued (the security tests look for them in the database and the logs). */
  readonly issued: string[] = [];
  private chaosFaults: { match: string; rate: number; kinds: FaultKind[] } | null = null;
  chaosInjected = 0;
  private refuse = false;
  private readonly faults: Fault[] = [];
  private readonly codes = new Map<string, AuthCode>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();
  private readonly sockets = new Set<Socket>();
  private readonly server = createServer((req, res) => void this.route(req, res));

  constructor(opts: EmulatorOptions = {}) {
    this.clientKey = opts.clientKey ?? 'aw_test_client_key';
    this.clientSecret = opts.clientSecret ?? 'test_client_secret_0123456789';
    this.webhookUrl = opts.webhookUrl;
    this.approvedScopes = opts.approvedScopes ?? DEFAULT_SCOPES;
    this.pkce = opts.pkce ?? 'base64url';
    this.accessTtlS = opts.accessTtlS ?? 86_400;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  get authUrl() {
    return `${this.origin}/v2/auth/authorize/`;
  }
  get openApiUrl() {
    return this.origin;
  }
  get businessApiUrl() {
    return `${this.origin}/open_api`;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addAccount(a: Partial<EmulatedAccount> & { username: string }): EmulatedAccount {
    const account: EmulatedAccount = {
      open_id: a.open_id ?? `-000${randomBytes(8).toString('hex')}`,
      display_name: a.display_name ?? a.username,
      account_type: a.account_type ?? 'business',
      followers_count: a.followers_count ?? 1200,
      username: a.username,
    };
    this.accounts.set(account.open_id, account);
    return account;
  }

  byUsername(username: string): EmulatedAccount {
    const a = [...this.accounts.values()].find((x) => x.username === username);
    if (!a) throw new Error(`emulator: no account @${username}`);
    return a;
  }

  /** The owner of @username decided in TikTok after opening the Business Center's link (`BOUND` approves, `REJECTED` refuses). */
  bcDecide(username: string, status: 'BOUND' | 'REJECTED' | 'UNBOUND'): void {
    this.bc.accounts.set(username, status);
  }

  /** Makes every access token expire now (the next call answers 40102 / `access_token_invalid`). */
  expireTokens(): void {
    for (const g of this.access.values()) g.expires_at = 0;
  }

  /** From now on refreshes are refused (40107 / `invalid_grant`), as when the user revoked the app. */
  refuseRefresh(on = true): void {
    this.refuse = on;
  }

  /** The next `count` requests whose path contains `match` fail with `kind`. */
  fail(match: string, kind: FaultKind, opts: { count?: number; acted?: boolean } = {}): void {
    this.faults.push({ match, kind, acted: opts.acted ?? false, left: opts.count ?? 1 });
  }

  /**
   * From now on a `rate` share of the requests whose path contains `match` fail with one of `kinds`, chosen at
   * random; a 5xx, timeout or drop comes before or after TikTok acted (at random), a refusal (429, 40100, 40102)
   * always before, as TikTok does not act on a call it refuses. `chaosInjected` counts them; `chaos(null)` stops it.
   */
  chaos(c: { match: string; rate: number; kinds: FaultKind[] } | null): void {
    this.chaosFaults = c;
  }

  /** Messages the business account sent (what really reached TikTok). */
  sentMessages(businessId: string): EmulatedMessage[] {
    return this.messages.filter((m) => m.from_id === businessId);
  }

  replies(commentId: string): EmulatedComment[] {
    return this.comments.filter((c) => c.parent_comment_id === commentId);
  }

  /** A DM from `from` to the business account: stored, and its `im_receive_msg` webhook returned (not delivered). */
  incomingMessage(
    to: EmulatedAccount,
    from: { id?: string; username: string; display_name?: string },
    text: string,
    conversationId?: string,
  ): { message: EmulatedMessage; webhook: WebhookEvent } {
    const fromId = from.id ?? `peer-${from.username}`;
    const conversation_id =
      conversationId ?? this.conversationWith(to.open_id, fromId) ?? `conv-${randomBytes(6).toString('hex')}`;
    const message: EmulatedMessage = {
      message_id: longId(),
      conversation_id,
      from_id: fromId,
      to_id: to.open_id,
      text,
      timestamp: Date.now(),
    };
    this.messages.push(message);
    this.peers.set(fromId, { username: from.username, display_name: from.display_name ?? from.username });
    return { message, webhook: this.messageWebhook('im_receive_msg', to.open_id, message) };
  }

  /** A comment by `by` on the account's video: stored, and its `comment.update` webhook returned (not delivered). */
  incomingComment(
    owner: EmulatedAccount,
    by: { username: string; display_name?: string },
    text: string,
    videoId = '7300000000000000001',
  ): { comment: EmulatedComment; webhook: WebhookEvent } {
    const comment: EmulatedComment = {
      comment_id: longId(),
      video_id: videoId,
      parent_comment_id: '0',
      owner_id: owner.open_id,
      username: by.username,
      display_name: by.display_name ?? by.username,
      text,
      create_time: Math.floor(Date.now() / 1000),
    };
    this.comments.push(comment);
    const content = {
      comment_id: comment.comment_id,
      video_id: videoId,
      parent_comment_id: '0',
      comment_action: 'insert',
      unique_identifier: by.username,
      text,
      timestamp: Date.now(),
    };
    return { comment, webhook: this.event('comment.update', owner.open_id, content) };
  }

  event(event: string, openId: string, content: unknown): WebhookEvent {
    return {
      client_key: this.clientKey,
      event,
      create_time: Math.floor(Date.now() / 1000),
      user_openid: openId,
      content: JSON.stringify(content),
    };
  }

  /** The signature header TikTok would put on `body` at time `t` (unix seconds). */
  sign(body: string, t = Math.floor(Date.now() / 1000), secret = this.clientSecret): string {
    return `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
  }

  /** POSTs a signed webhook to `webhookUrl` `times` times (at-least-once), each signed at `signedAt` (default now). */
  async deliver(
    event: WebhookEvent,
    opts: { times?: number; signedAt?: number; delayMs?: number } = {},
  ): Promise<number[]> {
    if (!this.webhookUrl) throw new Error('emulator: no webhookUrl');
    if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs));
    const body = JSON.stringify(event);
    const statuses: number[] = [];
    for (let i = 0; i < (opts.times ?? 1); i++) {
      const res = await fetch(this.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'tiktok-signature': this.sign(body, opts.signedAt) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      this.deliveries.push({ event: event.event, status: res.status });
      statuses.push(res.status);
    }
    return statuses;
  }

  // —— internals ——

  private readonly peers = new Map<string, { username: string; display_name: string }>();

  private conversationWith(businessId: string, peerId: string): string | undefined {
    return this.messages.find(
      (m) => (m.from_id === peerId && m.to_id === businessId) || (m.to_id === peerId && m.from_id === businessId),
    )?.conversation_id;
  }

  private messageWebhook(event: string, businessId: string, m: EmulatedMessage): WebhookEvent {
    const peer = (id: string) =>
      (id === businessId ? this.accounts.get(id)?.username : this.peers.get(id)?.username) ?? id;
    return this.event(event, businessId, {
      conversation_id: m.conversation_id,
      message_id: m.message_id,
      timestamp: m.timestamp,
      type: 'text',
      text: { body: m.text },
      from: peer(m.from_id),
      from_user: { id: m.from_id },
      to: peer(m.to_id),
      to_user: { id: m.to_id },
    });
  }

  private takeFault(path: string): Fault | undefined {
    const f = this.faults.find((x) => x.left > 0 && path.includes(x.match));
    if (f) f.left--;
    const c = this.chaosFaults;
    if (!f && c && path.includes(c.match) && Math.random() < c.rate) {
      const kind = c.kinds[Math.floor(Math.random() * c.kinds.length)]!;
      this.chaosInjected++;
      return {
        match: c.match,
        kind,
        acted: !['http429', 'code40100', 'code40102'].includes(kind) && Math.random() < 0.5,
        left: 0,
      };
    }
    return f;
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const body = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    this.calls.push({ method: req.method ?? 'GET', path: url.pathname + url.search, body });
    const fault = this.takeFault(url.pathname);
    if (fault && !fault.acted && (await this.answerFault(fault, res))) return;
    const out = await this.dispatch(req.method ?? 'GET', url, body, req.headers);
    if (fault && fault.acted && (await this.answerFault(fault, res))) return;
    res.writeHead(out.status, { 'content-type': out.type ?? 'application/json', ...out.headers });
    res.end(out.body);
  }

  /** Answers a fault; true when the response was handled. */
  private async answerFault(f: Fault, res: ServerResponse): Promise<boolean> {
    const business = (code: number, message: string) => bigIdJson({ code, message, request_id: longId(), data: {} });
    switch (f.kind) {
      case 'http500':
        res.writeHead(500).end('upstream error');
        return true;
      case 'http429':
        res.writeHead(429, { 'retry-after': '1' }).end(business(40100, 'Too many requests'));
        return true;
      case 'code40100':
        res.writeHead(200, { 'content-type': 'application/json' }).end(business(40100, 'Requests made too frequently'));
        return true;
      case 'code40102':
        res.writeHead(200, { 'content-type': 'application/json' }).end(business(40102, 'Access token is expired'));
        return true;
      case 'drop':
        res.socket?.destroy();
        return true;
      case 'timeout':
        await new Promise((r) => setTimeout(r, 60_000).unref());
        res.socket?.destroy();
        return true;
    }
  }

  private async dispatch(
    method: string,
    url: URL,
    body: string,
    headers: IncomingMessage['headers'],
  ): Promise<{ status: number; body: string; type?: string; headers?: Record<string, string> }> {
    const p = url.pathname;
    if (p === '/v2/auth/authorize/')
      return method === 'GET' ? this.authorizePage(url) : this.authorizeDecision(url, body);
    if (p.startsWith('/v2/')) return this.loginKit(p, url, body, headers);
    if (p.startsWith('/open_api/v1.3/')) {
      const { code, message, data } = await this.business(
        method,
        p.slice('/open_api/v1.3/'.length),
        url,
        body,
        headers,
      );
      return { status: 200, body: bigIdJson({ code, message, request_id: longId(), data }) };
    }
    return { status: 404, body: '{}' };
  }

  // —— sign-in page ——

  private authorizeError(url: URL, error: string, description: string) {
    const r = url.searchParams.get('redirect_uri');
    if (!r) return { status: 400, body: description, type: 'text/plain' };
    const to = new URL(r);
    to.searchParams.set('error', error);
    to.searchParams.set('error_description', description);
    to.searchParams.set('state', url.searchParams.get('state') ?? '');
    return { status: 302, body: '', headers: { location: to.href } };
  }

  private authorizePage(url: URL) {
    const q = url.searchParams;
    if (q.get('client_key') !== this.clientKey) return { status: 400, body: 'Unknown client_key', type: 'text/plain' };
    const scopes = (q.get('scope') ?? '').split(',').filter(Boolean);
    const unapproved = scopes.filter((s) => !this.approvedScopes.includes(s));
    if (unapproved.length)
      return this.authorizeError(url, 'invalid_scope', `Scope not approved: ${unapproved.join(',')}`);
    const hidden = [...q].map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`).join('');
    const buttons = [...this.accounts.values()]
      .map(
        (a) =>
          `<button name="open_id" value="${esc(a.open_id)}" data-username="${esc(a.username)}">Continue as @${esc(a.username)}</button>`,
      )
      .join('');
    const html = `<!doctype html><title>Log in | TikTok</title><h1>Log in to TikTok</h1>
<form method="post" action="/v2/auth/authorize/">${hidden}${buttons}<button name="decision" value="deny">Cancel</button></form>`;
    return { status: 200, body: html, type: 'text/html; charset=utf-8' };
  }

  private authorizeDecision(url: URL, body: string) {
    const form = new URLSearchParams(body);
    const q = new URL(`${url.pathname}?${form}`, this.origin);
    if (form.get('decision') === 'deny') return this.authorizeError(q, 'access_denied', 'The user denied the request');
    const account = this.accounts.get(form.get('open_id') ?? '');
    if (!account) return { status: 400, body: 'Unknown account', type: 'text/plain' };
    return this.redirectWithCode(q, account);
  }

  /**
   * The sign-in's answer for `account` as a redirect URL (tests that skip the page use it directly); `without`: scopes
   * the user did not grant (TikTok's consent lets them untick some).
   */
  approve(authorizeUrl: string, username: string, without: string[] = []): string {
    const out = this.redirectWithCode(new URL(authorizeUrl), this.byUsername(username), without);
    return out.headers!.location!;
  }

  private redirectWithCode(q: URL, account: EmulatedAccount, without: string[] = []) {
    const p = q.searchParams;
    const code = randomBytes(12).toString('hex');
    const scopes = (p.get('scope') ?? '').split(',').filter((s) => s && !without.includes(s));
    this.codes.set(code, {
      open_id: account.open_id,
      scopes,
      redirect_uri: p.get('redirect_uri') ?? '',
      code_challenge: p.get('code_challenge'),
      used: false,
    });
    const to = new URL(p.get('redirect_uri') ?? '');
    to.searchParams.set('code', code);
    to.searchParams.set('scopes', scopes.join(','));
    to.searchParams.set('state', p.get('state') ?? '');
    return { status: 302, body: '', headers: { location: to.href } };
  }

  // —— tokens ——

  private issue(open_id: string, scopes: string[], kind: Grant['kind']) {
    const access_token = `act.${randomBytes(16).toString('hex')}`;
    const refresh_token = `rft.${randomBytes(16).toString('hex')}`;
    const grant: Grant = { open_id, scopes, kind, expires_at: Date.now() + this.accessTtlS * 1000 };
    this.access.set(access_token, grant);
    this.refresh.set(refresh_token, { ...grant });
    this.issued.push(access_token, refresh_token);
    return {
      open_id,
      scope: scopes.join(','),
      access_token,
      expires_in: this.accessTtlS,
      refresh_token,
      refresh_expires_in: 31_536_000,
      refresh_token_expires_in: 31_536_000,
      token_type: 'Bearer',
    };
  }

  private exchange(code: string, redirect_uri: string, verifier: string | null, kind: Grant['kind']) {
    const c = this.codes.get(code);
    if (!c || c.used || c.redirect_uri !== redirect_uri) return null;
    if (c.code_challenge !== null) {
      const digest = createHash('sha256')
        .update(verifier ?? '')
        .digest(this.pkce);
      if (digest !== c.code_challenge) return null;
    }
    c.used = true;
    return this.issue(c.open_id, c.scopes, kind);
  }

  /** Rotates: the old refresh token stops working, a new one is returned. */
  private rotate(refresh_token: string) {
    const g = this.refresh.get(refresh_token);
    if (!g || this.refuse) return null;
    this.refresh.delete(refresh_token);
    return this.issue(g.open_id, g.scopes, g.kind);
  }

  private revoke(token: string) {
    const g = this.access.get(token);
    if (!g) return;
    for (const [k, v] of [...this.access, ...this.refresh])
      if (v.open_id === g.open_id) {
        this.access.delete(k);
        this.refresh.delete(k);
      }
  }

  private grant(token: string | undefined): Grant | 'expired' | null {
    const g = token ? this.access.get(token) : undefined;
    if (!g) return null;
    return g.expires_at <= Date.now() ? 'expired' : g;
  }

  // —— Login Kit ——

  private loginKit(p: string, url: URL, body: string, headers: IncomingMessage['headers']) {
    const ok = (data: unknown) => ({
      status: 200,
      body: JSON.stringify({ data, error: { code: 'ok', message: '', log_id: longId() } }),
    });
    const oauthError = (error: string) => ({
      status: 400,
      body: JSON.stringify({ error, error_description: error, log_id: longId() }),
    });
    const f = new URLSearchParams(body);
    if (p === '/v2/oauth/token/') {
      if (f.get('client_key') !== this.clientKey || f.get('client_secret') !== this.clientSecret)
        return oauthError('invalid_client');
      const out =
        f.get('grant_type') === 'refresh_token'
          ? this.rotate(f.get('refresh_token') ?? '')
          : this.exchange(f.get('code') ?? '', f.get('redirect_uri') ?? '', f.get('code_verifier'), 'login_kit');
      return out ? { status: 200, body: JSON.stringify(out) } : oauthError('invalid_grant');
    }
    if (p === '/v2/oauth/revoke/') {
      this.revoke(f.get('token') ?? '');
      return { status: 200, body: '{}' };
    }
    if (p === '/v2/user/info/') {
      const g = this.grant(/^Bearer (.+)$/.exec(String(headers.authorization ?? ''))?.[1]);
      if (g === null || g === 'expired')
        return {
          status: 401,
          body: JSON.stringify({
            data: {},
            error: {
              code: 'access_token_invalid',
              message: 'The access token is invalid or not found in the request.',
              log_id: longId(),
            },
          }),
        };
      const a = this.accounts.get(g.open_id)!;
      return ok({
        user: {
          open_id: a.open_id,
          union_id: `u${a.open_id}`,
          avatar_url: `https://p16.tiktokcdn.example/${a.username}.jpg`,
          display_name: a.display_name,
          username: a.username,
        },
      });
    }
    return { status: 404, body: '{}' };
  }

  // —— Business API ——

  private async business(
    method: string,
    p: string,
    url: URL,
    body: string,
    headers: IncomingMessage['headers'],
  ): Promise<{ code: number; message: string; data: unknown }> {
    const ok = (data: unknown) => ({ code: 0, message: 'OK', data });
    const err = (code: number, message: string) => ({ code, message, data: {} });
    const json = (() => {
      try {
        return JSON.parse(body || '{}') as Record<string, unknown>;
      } catch {
        return {};
      }
    })();
    if (p.startsWith('tt_user/oauth2/')) {
      if (json.client_id !== this.clientKey || json.client_secret !== this.clientSecret)
        return err(40001, 'Invalid client');
      if (p === 'tt_user/oauth2/token/') {
        const out = this.exchange(String(json.auth_code), String(json.redirect_uri), null, 'business');
        return out ? ok(out) : err(40002, 'Invalid auth_code');
      }
      if (p === 'tt_user/oauth2/refresh_token/') {
        const out = this.rotate(String(json.refresh_token));
        return out ? ok(out) : err(40107, 'Invalid refresh token');
      }
      if (p === 'tt_user/oauth2/revoke/') {
        this.revoke(String(json.access_token));
        return ok({});
      }
    }
    if (p.startsWith('bc/')) return this.businessCenter(p, url, headers);
    const g = this.grant(headers['access-token'] as string | undefined);
    if (g === null) return err(40105, 'Invalid access token');
    if (g === 'expired') return err(40102, 'Access token is expired');
    const q = method === 'GET' ? Object.fromEntries(url.searchParams) : json;
    if (String(q.business_id) !== g.open_id) return err(40001, 'business_id does not match the token');
    const need = (scope: string) => (g.scopes.includes(scope) ? null : err(40130, `Scope not authorized: ${scope}`));
    const account = this.accounts.get(g.open_id)!;
    const peerOf = (m: EmulatedMessage) => (m.from_id === g.open_id ? m.to_id : m.from_id);
    switch (p) {
      case 'business/get/':
        return ok({
          username: account.username,
          display_name: account.display_name,
          profile_image: `https://p16.tiktokcdn.example/${account.username}.jpg`,
          followers_count: account.followers_count,
          is_business_account: account.account_type === 'business',
        });
      case 'business/message/conversation/list/': {
        const denied = need('message.list.read');
        if (denied) return denied;
        const mine = this.messages.filter((m) => m.from_id === g.open_id || m.to_id === g.open_id);
        const ids = [...new Set(mine.map((m) => m.conversation_id))];
        return ok({
          conversations: ids.map((id) => ({
            conversation_id: id,
            up_time: Math.max(...mine.filter((m) => m.conversation_id === id).map((m) => m.timestamp)),
          })),
          has_more: false,
          cursor: 0,
        });
      }
      case 'business/message/content/list/': {
        const denied = need('message.list.read');
        if (denied) return denied;
        const list = this.messages.filter(
          (m) => m.conversation_id === q.conversation_id && (m.from_id === g.open_id || m.to_id === g.open_id),
        );
        return ok({
          messages: list.map((m) => ({
            message_id: bigId(m.message_id),
            timestamp: m.timestamp,
            message_type: 'TEXT',
            text: { body: m.text },
            from_user: { id: m.from_id, display_name: this.peers.get(m.from_id)?.display_name ?? account.display_name },
            to_user: { id: m.to_id },
            conversation_id: m.conversation_id,
            peer: peerOf(m),
          })),
        });
      }
      case 'business/message/send/': {
        const denied = need('message.list.send');
        if (denied) return denied;
        const text = (json.text as { body?: string } | undefined)?.body ?? '';
        const thread = this.messages.filter((m) => m.conversation_id === json.recipient);
        const peer = thread.find((m) => m.to_id === g.open_id);
        if (!peer) return err(40001, 'Unknown conversation');
        if (text.length > 6000) return err(40001, 'Text too long');
        const lastIn = Math.max(...thread.filter((m) => m.to_id === g.open_id).map((m) => m.timestamp));
        if (Date.now() - lastIn > 48 * 3_600_000)
          return err(40020, 'Reply window expired: the user has not messaged in 48 hours');
        const m: EmulatedMessage = {
          message_id: longId(),
          conversation_id: String(json.recipient),
          from_id: g.open_id,
          to_id: peer.from_id,
          text,
          timestamp: Date.now(),
        };
        this.messages.push(m);
        const echo = this.webhookUrl
          ? this.deliver(this.messageWebhook('im_send_msg', g.open_id, m)).catch(() => undefined)
          : undefined;
        if (this.echoBeforeAnswer) await echo;
        return ok({ message: { message_id: bigId(m.message_id) } });
      }
      case 'business/comment/list/': {
        const denied = need('comment.list');
        if (denied) return denied;
        if (!q.video_id) return err(40002, 'video_id is required');
        const list = this.comments.filter((c) => c.owner_id === g.open_id && c.video_id === String(q.video_id));
        return ok({
          comments: list.map((c) => ({
            ...c,
            comment_id: bigId(c.comment_id),
            parent_comment_id: c.parent_comment_id === '0' ? '0' : bigId(c.parent_comment_id),
            owner_id: undefined,
            status: 'PUBLIC',
          })),
          has_more: false,
          cursor: list.length,
        });
      }
      case 'business/comment/reply/create/': {
        const denied = need('comment.list.manage');
        if (denied) return denied;
        const text = String(json.text ?? '');
        if (text.length > 150) return err(40002, 'Text exceeds 150 characters');
        const parent = this.comments.find((c) => c.comment_id === String(json.comment_id) && c.owner_id === g.open_id);
        if (!parent) return err(40002, 'Unknown comment');
        const reply: EmulatedComment = {
          comment_id: longId(),
          video_id: parent.video_id,
          parent_comment_id: parent.comment_id,
          owner_id: g.open_id,
          username: account.username,
          display_name: account.display_name,
          text,
          create_time: Math.floor(Date.now() / 1000),
        };
        this.comments.push(reply);
        return ok({
          ...reply,
          comment_id: bigId(reply.comment_id),
          parent_comment_id: bigId(parent.comment_id),
          owner_id: undefined,
          status: 'PUBLIC',
        });
      }
    }
    return err(40002, `Unknown endpoint ${p}`);
  }

  private businessCenter(
    p: string,
    url: URL,
    headers: IncomingMessage['headers'],
  ): { code: number; message: string; data: unknown } {
    if (headers['access-token'] !== this.bc.accessToken)
      return { code: 40105, message: 'Invalid access token', data: {} };
    if (url.searchParams.get('bc_id') !== this.bc.bcId)
      return { code: 40001, message: 'No permission to operate this Business Center', data: {} };
    if (p === 'bc/asset/account/authorization/')
      return { code: 0, message: 'OK', data: { bc_auth_qr_code: this.bc.inviteUrl } };
    if (p === 'bc/asset/get/') {
      if (url.searchParams.get('asset_type') !== 'TT_ACCOUNT')
        return { code: 40002, message: 'asset_type is required', data: {} };
      const size = Number(url.searchParams.get('page_size') ?? 10);
      const page = Number(url.searchParams.get('page') ?? 1);
      const all = [...this.bc.accounts].map(([name, relation_status], i) => ({
        asset_id: `${7100000000000000000n + BigInt(i)}`,
        asset_name: name,
        relation_status,
      }));
      const list = all.slice((page - 1) * size, page * size);
      return {
        code: 0,
        message: 'OK',
        data: {
          list,
          page_info: {
            page,
            page_size: size,
            total_number: all.length,
            total_page: Math.max(1, Math.ceil(all.length / size)),
          },
        },
      };
    }
    return { code: 40002, message: `Unknown endpoint ${p}`, data: {} };
  }
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function startTikTokEmulator(opts: EmulatorOptions = {}): Promise<TikTokEmulator> {
  return new TikTokEmulator(opts).start();
}
