/**
 * TikTok's HTTP APIs as typed calls (research real-service.md §2), with one error model that says whether TikTok
 * acted: `refused` kinds (429, 40100, expired or invalid token, missing scope, a validation refusal) mean it did
 * not, so a send may be retried at once; `unknown` (timeout, dropped connection, 5xx, an unreadable answer) means it
 * may have, so a send must first look for itself. Business API: `Access-Token` header, envelope `{code, message,
 * request_id, data}` where `code != 0` is an error even with HTTP 200. Login Kit: form bodies, Bearer, `{data, error}`.
 * Long ids are parsed as strings (./json.ts).
 */
import { parseTikTokJson } from './json';

export type TikTokErrorKind =
  'rate_limited' | 'token_expired' | 'token_invalid' | 'refresh_refused' | 'scope' | 'refused' | 'unknown';

export class TikTokApiError extends Error {
  constructor(
    readonly kind: TikTokErrorKind,
    message: string,
    readonly code: string | number = '',
  ) {
    super(message);
  }
  /** TikTok certainly did not act on the request. */
  get refused(): boolean {
    return this.kind !== 'unknown';
  }
}

export interface TokenSet {
  open_id: string;
  scopes: string[];
  access_token: string;
  refresh_token: string;
  /** Seconds. */
  expires_in: number;
  refresh_expires_in: number;
}

export interface TikTokEndpoints {
  clientKey: string;
  clientSecret: string;
  openApiUrl: string;
  businessApiUrl: string;
  timeoutMs: number;
  fetch?: typeof fetch;
}

const BUSINESS_CODES: Record<number, TikTokErrorKind> = {
  40100: 'rate_limited',
  40102: 'token_expired',
  40103: 'token_expired',
  40105: 'token_invalid',
  40107: 'refresh_refused',
  40130: 'scope',
};

function tokenSet(d: Record<string, unknown>): TokenSet {
  if (typeof d.access_token !== 'string' || typeof d.refresh_token !== 'string' || d.open_id === undefined) {
    throw new TikTokApiError('unknown', 'TikTok answered the token call without a token.');
  }
  return {
    open_id: String(d.open_id),
    scopes: String(d.scope ?? '')
      .split(/[,\s]+/)
      .filter(Boolean),
    access_token: d.access_token,
    refresh_token: d.refresh_token,
    expires_in: Number(d.expires_in ?? 3600),
    refresh_expires_in: Number(d.refresh_expires_in ?? d.refresh_token_expires_in ?? 0),
  };
}

export class TikTokClient {
  private readonly fetch: typeof fetch;
  constructor(private readonly e: TikTokEndpoints) {
    this.fetch = e.fetch ?? fetch;
  }

  private async raw(url: string, init: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
    let res: Response;
    let text: string;
    try {
      res = await this.fetch(url, { ...init, signal: AbortSignal.timeout(this.e.timeoutMs) });
      text = await res.text();
    } catch (e) {
      throw new TikTokApiError(
        'unknown',
        `TikTok did not answer (${(e as Error).name === 'TimeoutError' ? 'timeout' : (e as Error).message}).`,
      );
    }
    if (res.status === 429) throw new TikTokApiError('rate_limited', 'TikTok asked to slow down.', 429);
    if (res.status >= 500) throw new TikTokApiError('unknown', `TikTok failed (HTTP ${res.status}).`, res.status);
    try {
      const body = parseTikTokJson(text);
      if (body && typeof body === 'object') return { status: res.status, body: body as Record<string, unknown> };
    } catch {
      /* falls through */
    }
    throw new TikTokApiError('unknown', `TikTok answered something unreadable (HTTP ${res.status}).`, res.status);
  }

  // —— Business API ——

  private async business(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, unknown>,
    accessToken?: string,
  ): Promise<Record<string, unknown>> {
    const url = new URL(`${this.e.businessApiUrl}/v1.3/${path}`);
    const headers: Record<string, string> = { ...(accessToken && { 'access-token': accessToken }) };
    let body: string | undefined;
    if (method === 'GET') {
      for (const [k, v] of Object.entries(params))
        url.searchParams.set(k, typeof v === 'string' ? v : JSON.stringify(v));
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(params);
    }
    const { body: env } = await this.raw(url.href, { method, headers, body });
    const code = Number(env.code);
    if (code !== 0) {
      throw new TikTokApiError(
        BUSINESS_CODES[code] ?? (Number.isNaN(code) ? 'unknown' : 'refused'),
        String(env.message ?? `TikTok error ${code}`),
        code,
      );
    }
    return (env.data ?? {}) as Record<string, unknown>;
  }

  private get app() {
    return { client_id: this.e.clientKey, client_secret: this.e.clientSecret };
  }

  async businessToken(auth_code: string, redirect_uri: string): Promise<TokenSet> {
    return tokenSet(
      await this.business('POST', 'tt_user/oauth2/token/', {
        ...this.app,
        grant_type: 'authorization_code',
        auth_code,
        redirect_uri,
      }),
    );
  }

  async businessRefresh(refresh_token: string): Promise<TokenSet> {
    return tokenSet(
      await this.business('POST', 'tt_user/oauth2/refresh_token/', {
        ...this.app,
        grant_type: 'refresh_token',
        refresh_token,
      }),
    );
  }

  async businessRevoke(access_token: string): Promise<void> {
    await this.business('POST', 'tt_user/oauth2/revoke/', { ...this.app, access_token });
  }

  businessProfile(token: string, business_id: string) {
    return this.business(
      'GET',
      'business/get/',
      { business_id, fields: ['username', 'display_name', 'profile_image', 'followers_count'] },
      token,
    );
  }

  async conversations(token: string, business_id: string) {
    const out: { conversation_id: string; up_time: number }[] = [];
    for (const conversation_type of ['SINGLE', 'STRANGER']) {
      const d = await this.business(
        'GET',
        'business/message/conversation/list/',
        { business_id, conversation_type, limit: '100' },
        token,
      );
      for (const c of (d.conversations ?? []) as Record<string, unknown>[])
        out.push({ conversation_id: String(c.conversation_id), up_time: Number(c.up_time ?? 0) });
    }
    return out;
  }

  async messages(token: string, business_id: string, conversation_id: string) {
    const d = await this.business('GET', 'business/message/content/list/', { business_id, conversation_id }, token);
    return ((d.messages ?? []) as Record<string, unknown>[]).map((m) => ({
      message_id: String(m.message_id),
      timestamp: Number(m.timestamp ?? 0),
      text: String((m.text as { body?: unknown } | undefined)?.body ?? ''),
      from_id: String((m.from_user as { id?: unknown } | undefined)?.id ?? ''),
      to_id: String((m.to_user as { id?: unknown } | undefined)?.id ?? ''),
    }));
  }

  async sendMessage(token: string, business_id: string, conversation_id: string, text: string): Promise<string> {
    const d = await this.business(
      'POST',
      'business/message/send/',
      {
        business_id,
        recipient_type: 'CONVERSATION',
        recipient: conversation_id,
        message_type: 'TEXT',
        text: { body: text },
      },
      token,
    );
    return String((d.message as { message_id?: unknown } | undefined)?.message_id ?? d.message_id ?? '');
  }

  async comments(token: string, business_id: string, video_id: string) {
    const all: Record<string, unknown>[] = [];
    let cursor: unknown = 0;
    for (let page = 0; page < 20; page++) {
      const d = await this.business(
        'GET',
        'business/comment/list/',
        { business_id, video_id, cursor: String(cursor), max_count: '30' },
        token,
      );
      all.push(...((d.comments ?? []) as Record<string, unknown>[]));
      if (!d.has_more) break;
      cursor = d.cursor;
    }
    return all.map((c) => ({
      comment_id: String(c.comment_id),
      video_id: String(c.video_id ?? video_id),
      parent_comment_id:
        c.parent_comment_id === undefined || String(c.parent_comment_id) === '0' ? null : String(c.parent_comment_id),
      username: String(c.username ?? ''),
      display_name: String(c.display_name ?? c.username ?? ''),
      text: String(c.text ?? ''),
      created_at: Number(c.create_time ?? 0) * 1000,
      hidden: c.status === 'HIDDEN',
    }));
  }

  async replyComment(
    token: string,
    business_id: string,
    video_id: string,
    comment_id: string,
    text: string,
  ): Promise<string> {
    const d = await this.business(
      'POST',
      'business/comment/reply/create/',
      { business_id, video_id, comment_id, text },
      token,
    );
    return String(d.comment_id ?? '');
  }

  // —— Business Center (Ads: research real-service.md §1–§2) ——

  /** The Business Center's authorization link (`bc_auth_qr_code`): the account's owner opens it to grant the BC access. */
  async bcInviteLink(token: string, bc_id: string): Promise<string> {
    const d = await this.business('GET', 'bc/asset/account/authorization/', { bc_id }, token);
    const link = String(d.bc_auth_qr_code ?? '');
    if (!/^https:\/\//.test(link))
      throw new TikTokApiError('unknown', 'TikTok answered the Business Center link call without an https link.');
    return link;
  }

  /** The TikTok accounts of the Business Center and their relation (`BOUND`, `PENDING`, `REJECTED`, `UNBOUND`), every page. */
  async bcAccounts(
    token: string,
    bc_id: string,
  ): Promise<{ asset_id: string; asset_name: string; relation_status: string }[]> {
    const out: { asset_id: string; asset_name: string; relation_status: string }[] = [];
    for (let page = 1; page <= 40; page++) {
      const d = await this.business(
        'GET',
        'bc/asset/get/',
        { bc_id, asset_type: 'TT_ACCOUNT', page: String(page), page_size: '50' },
        token,
      );
      const list = (d.list ?? []) as Record<string, unknown>[];
      for (const a of list)
        out.push({
          asset_id: String(a.asset_id ?? ''),
          asset_name: String(a.asset_name ?? ''),
          relation_status: String(a.relation_status ?? ''),
        });
      const info = (d.page_info ?? {}) as { total_page?: unknown };
      if (list.length < 50 || page >= Number(info.total_page ?? page)) break;
    }
    return out;
  }

  // —— Login Kit ——

  private async loginKitForm(path: string, form: Record<string, string>): Promise<Record<string, unknown>> {
    const { body } = await this.raw(`${this.e.openApiUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    if (typeof body.error === 'string') {
      throw new TikTokApiError(
        body.error === 'invalid_grant' ? 'refresh_refused' : 'refused',
        String(body.error_description ?? body.error),
        body.error,
      );
    }
    return body;
  }

  private get loginApp() {
    return { client_key: this.e.clientKey, client_secret: this.e.clientSecret };
  }

  async loginKitToken(code: string, redirect_uri: string, code_verifier: string): Promise<TokenSet> {
    return tokenSet(
      await this.loginKitForm('/v2/oauth/token/', {
        ...this.loginApp,
        code,
        grant_type: 'authorization_code',
        redirect_uri,
        code_verifier,
      }),
    );
  }

  async loginKitRefresh(refresh_token: string): Promise<TokenSet> {
    return tokenSet(
      await this.loginKitForm('/v2/oauth/token/', { ...this.loginApp, grant_type: 'refresh_token', refresh_token }),
    );
  }

  async loginKitRevoke(token: string): Promise<void> {
    await this.loginKitForm('/v2/oauth/revoke/', { ...this.loginApp, token });
  }

  async userInfo(token: string) {
    const url = `${this.e.openApiUrl}/v2/user/info/?fields=open_id,union_id,avatar_url,display_name,username`;
    const { body } = await this.raw(url, { headers: { authorization: `Bearer ${token}` } });
    const error = body.error as { code?: string; message?: string } | undefined;
    if (error && error.code !== 'ok') {
      throw new TikTokApiError(
        error.code === 'access_token_invalid'
          ? 'token_expired'
          : error.code === 'scope_not_authorized'
            ? 'scope'
            : error.code === 'rate_limit_exceeded'
              ? 'rate_limited'
              : 'refused',
        error.message ?? String(error.code),
        error.code ?? '',
      );
    }
    const u = ((body.data as { user?: Record<string, unknown> } | undefined)?.user ?? {}) as Record<string, unknown>;
    return {
      open_id: String(u.open_id ?? ''),
      username: String(u.username ?? ''),
      display_name: String(u.display_name ?? ''),
      avatar_url: String(u.avatar_url ?? ''),
    };
  }
}
