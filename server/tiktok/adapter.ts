/**
 * The core's `TikTok` port on TikTok's real APIs (research real-service.md §1–§3). Sign-in goes through the
 * server's own callback (`PUBLIC_URL/oauth/tiktok/callback`, one static URL to register) with a state signed by the
 * server; `business` sign-in exchanges the code at `tt_user/oauth2/token/` (DMs and comments), `login_kit` at
 * `/v2/oauth/token/` with PKCE (profile only). What TikTok cannot answer comes from what the server stored
 * (./activity.ts); follow is `not_supported`; Ads go through the operator's Business Center (./business-center.ts) when
 * one is configured, else are `not_supported` with the reason. TikTok's errors become the port's vocabulary,
 * keeping the one distinction sends rely on: `unknown_outcome` (it may have acted) versus everything else (it did not).
 */
import { createHash } from 'node:crypto';
import type {
  Capability,
  Millis,
  TikTok,
  TikTokAccount,
  TikTokComment,
  TikTokConversation,
  TikTokGrant,
  TikTokMessage,
  TikTokProfile,
} from '../../utils/service/ports';
import { TikTokError } from '../../utils/service/ports';
import type { Config } from '../config';
import type { Secrets } from '../crypto';
import { Activity } from './activity';
import { NO_ADS_REASON, type BusinessCenter } from './business-center';
import { TikTokApiError, TikTokClient, type TokenSet } from './client';

export const CALLBACK_PATH = '/oauth/tiktok/callback';

/** Scopes asked at sign-in: only what the configured sign-in can use (an unapproved scope fails the whole request). */
export const SIGNIN_SCOPES = {
  business: [
    'user.info.basic',
    'user.info.username',
    'user.info.profile',
    'message.list.read',
    'message.list.send',
    'message.list.manage',
    'comment.list',
    'comment.list.manage',
  ],
  login_kit: ['user.info.basic', 'user.info.profile'],
} as const;

const SCOPES = {
  messages_read: 'message.list.read',
  messages_send: 'message.list.send',
  comments_read: 'comment.list',
  comments_reply: 'comment.list.manage',
  follow: 'follow.write',
};

/** How far TikTok's clock and ours may differ when looking for a send whose outcome was unknown. */
const CLOCK_SLACK_MS = 2 * 60_000;

const FOLLOW_REASON = 'TikTok offers apps no way to follow an account: open the profile on TikTok and follow there.';

/** TikTok's refusal of a send, by its message (the codes for these are not documented). */
function refusalCode(message: string): TikTokError['code'] {
  if (/window|48 ?h|24 ?h|hours/i.test(message)) return 'reply_window_expired';
  if (/quota|limit of|too many messages/i.test(message)) return 'message_quota_exceeded';
  if (/too long|exceed|characters/i.test(message)) return 'text_too_long';
  if (/unknown|not exist|not found/i.test(message)) return 'not_found';
  return 'unavailable';
}

export function toPortError(e: unknown, during: 'call' | 'exchange' | 'refresh' = 'call'): unknown {
  if (!(e instanceof TikTokApiError)) return e;
  switch (e.kind) {
    case 'unknown':
      return new TikTokError('unknown_outcome', e.message);
    case 'rate_limited':
      return new TikTokError('rate_limited', 'TikTok asked to slow down.', { retry_after_s: 5 });
    case 'token_expired':
      return new TikTokError(during === 'refresh' ? 'reauth_required' : 'token_expired', e.message);
    case 'token_invalid':
      return new TikTokError('reauth_required', 'TikTok no longer accepts this sign-in.');
    case 'refresh_refused':
      return new TikTokError(
        during === 'exchange' ? 'invalid_grant' : 'reauth_required',
        'TikTok no longer accepts this sign-in.',
      );
    case 'scope': {
      const scope = /scope[^:]*:\s*([\w.]+)/i.exec(e.message)?.[1];
      return new TikTokError('scope_not_authorized', e.message, { details: scope ? { scope } : {} });
    }
    case 'refused':
      return new TikTokError(during === 'exchange' ? 'invalid_grant' : refusalCode(e.message), e.message);
  }
}

export class RealTikTok implements TikTok {
  readonly scopes = SCOPES;
  readonly activity: Activity;
  constructor(
    private readonly cfg: Pick<Config, 'signin' | 'authUrl' | 'pkce'> & { publicUrl: string; clientKey: string },
    readonly client: TikTokClient,
    private readonly secrets: Secrets,
    activity: Activity,
    private readonly now: () => Millis = Date.now,
    /** The operator's Business Center (Ads), null without one. */
    readonly bc: BusinessCenter | null = null,
  ) {
    this.activity = activity;
  }

  private async call<T>(p: Promise<T>, during?: 'call' | 'exchange' | 'refresh'): Promise<T> {
    try {
      return await p;
    } catch (e) {
      throw toPortError(e, during);
    }
  }

  get callbackUrl(): string {
    return `${this.cfg.publicUrl}${CALLBACK_PATH}`;
  }

  /** Once the server knows its address (PORT=0 picks one), when PUBLIC_URL was not given. */
  setPublicUrl(url: string): void {
    this.cfg.publicUrl = url.replace(/\/+$/, '');
  }

  info() {
    return {
      kind: 'tiktok' as const,
      follow: false,
      ads: this.bc !== null,
      ads_approve_in_api: false,
      ...(!this.bc && { ads_reason: NO_ADS_REASON }),
    };
  }

  /** The state sent to TikTok: the core's state and its signature, checked by the callback before any lookup. */
  signState(state: string): string {
    return `${state}.${this.secrets.sign(`oauth-state:${state}`)}`;
  }

  /** The core's state from a signed one, or null when the signature is wrong. */
  verifyState(signed: string): string | null {
    const i = signed.lastIndexOf('.');
    if (i <= 0) return null;
    const state = signed.slice(0, i);
    return this.secrets.verify(`oauth-state:${state}`, signed.slice(i + 1)) ? state : null;
  }

  authorizeUrl(a: { state: string; redirect_uri: string; code_verifier: string | null }): string {
    const u = new URL(this.cfg.authUrl);
    u.searchParams.set('client_key', this.cfg.clientKey);
    u.searchParams.set('response_type', 'code');
    u.searchParams.set('scope', SIGNIN_SCOPES[this.cfg.signin].join(','));
    u.searchParams.set('redirect_uri', this.callbackUrl);
    u.searchParams.set('state', this.signState(a.state));
    if (this.cfg.signin === 'login_kit' && a.code_verifier) {
      u.searchParams.set('code_challenge', createHash('sha256').update(a.code_verifier).digest(this.cfg.pkce));
      u.searchParams.set('code_challenge_method', 'S256');
    }
    return u.href;
  }

  private grantFrom(t: TokenSet, previous?: TikTokGrant): TikTokGrant {
    const now = this.now();
    return {
      open_id: t.open_id,
      scopes: t.scopes.length ? t.scopes : (previous?.scopes ?? []),
      access_token: t.access_token,
      access_expires_at: now + t.expires_in * 1000,
      // Refresh tokens rotate: keep the newest one TikTok gave.
      refresh_token: t.refresh_token || previous?.refresh_token || null,
      refresh_expires_at: t.refresh_expires_in
        ? now + t.refresh_expires_in * 1000
        : (previous?.refresh_expires_at ?? null),
    };
  }

  async exchangeCode(a: { code: string; code_verifier: string | null }): Promise<TikTokGrant> {
    const t =
      this.cfg.signin === 'business'
        ? this.client.businessToken(a.code, this.callbackUrl)
        : this.client.loginKitToken(a.code, this.callbackUrl, a.code_verifier ?? '');
    return this.grantFrom(await this.call(t, 'exchange'));
  }

  async refresh(grant: TikTokGrant): Promise<TikTokGrant> {
    if (!grant.refresh_token) throw new TikTokError('reauth_required', 'TikTok gave no refresh token: sign in again.');
    const t =
      this.cfg.signin === 'business'
        ? this.client.businessRefresh(grant.refresh_token)
        : this.client.loginKitRefresh(grant.refresh_token);
    return this.grantFrom(await this.call(t, 'refresh'), grant);
  }

  async revoke(grant: TikTokGrant): Promise<void> {
    await this.call(
      this.cfg.signin === 'business'
        ? this.client.businessRevoke(grant.access_token)
        : this.client.loginKitRevoke(grant.access_token),
    );
  }

  async account(grant: TikTokGrant): Promise<TikTokAccount> {
    if (this.cfg.signin === 'login_kit') {
      const u = await this.call(this.client.userInfo(grant.access_token));
      return {
        open_id: grant.open_id,
        username: u.username,
        display_name: u.display_name,
        avatar_url: u.avatar_url,
        account_type: 'personal',
        email: null,
      };
    }
    const p = await this.call(this.client.businessProfile(grant.access_token, grant.open_id));
    return {
      open_id: grant.open_id,
      username: String(p.username ?? ''),
      display_name: String(p.display_name ?? p.username ?? ''),
      avatar_url: String(p.profile_image ?? ''),
      account_type: 'business',
      email: null,
    };
  }

  capabilities(
    account: TikTokProfile,
    scopes: string[],
  ): { messages: Capability; comments: Capability; follow: Capability } {
    const follow: Capability = { ok: false, reason: FOLLOW_REASON };
    if (this.cfg.signin === 'login_kit' || account.account_type !== 'business') {
      const reason =
        'TikTok lets apps read and answer direct messages and comments only for Business Accounts signed in through its Business API.';
      return { messages: { ok: false, reason }, comments: { ok: false, reason }, follow };
    }
    const need = (label: string, ...wanted: string[]): Capability => {
      const missing = wanted.find((s) => !scopes.includes(s));
      return missing
        ? {
            ok: false,
            scope: missing,
            reason: `${label} need the "${missing}" permission, which was not granted when you signed in to TikTok. Sign in again and allow it.`,
          }
        : { ok: true };
    };
    return {
      messages: need('Direct messages', SCOPES.messages_read, SCOPES.messages_send),
      comments: need('Comment replies', SCOPES.comments_read, SCOPES.comments_reply),
      follow,
    };
  }

  conversations(grant: TikTokGrant, q: { username?: string }): Promise<TikTokConversation[]> {
    return this.activity.conversations(grant.open_id, q.username);
  }

  conversation(grant: TikTokGrant, conversation_id: string): Promise<TikTokConversation | null> {
    return this.activity.conversation(grant.open_id, conversation_id);
  }

  /** TikTok's list merged into what was stored (webhooks), oldest first; when TikTok cannot answer now, what was stored. */
  async messages(grant: TikTokGrant, conversation_id: string): Promise<TikTokMessage[]> {
    try {
      await this.pullMessages(grant, conversation_id);
    } catch (e) {
      const err = toPortError(e);
      if (!(err instanceof TikTokError) || !['unknown_outcome', 'rate_limited', 'unavailable'].includes(err.code))
        throw err;
    }
    return this.activity.messages(grant.open_id, conversation_id);
  }

  private async pullMessages(grant: TikTokGrant, conversation_id: string): Promise<TikTokMessage[]> {
    const list = await this.client.messages(grant.access_token, grant.open_id, conversation_id);
    const out: TikTokMessage[] = [];
    for (const m of list) {
      const msg: TikTokMessage = {
        message_id: m.message_id,
        conversation_id,
        direction: m.from_id === grant.open_id ? 'out' : 'in',
        text: m.text,
        sent_at: m.timestamp,
      };
      await this.activity.addMessage(grant.open_id, msg);
      out.push(msg);
    }
    return out;
  }

  async sendMessage(grant: TikTokGrant, m: { conversation_id: string; text: string }): Promise<TikTokMessage> {
    const message_id = await this.call(
      this.client.sendMessage(grant.access_token, grant.open_id, m.conversation_id, m.text),
    );
    const msg: TikTokMessage = {
      message_id,
      conversation_id: m.conversation_id,
      direction: 'out',
      text: m.text,
      sent_at: this.now(),
    };
    // The echo (im_send_msg) may have stored it already, under the same TikTok id: then this stores nothing.
    await this.activity.addMessage(grant.open_id, msg);
    return msg;
  }

  async findMessage(
    grant: TikTokGrant,
    m: { conversation_id: string; text: string; since: Millis },
  ): Promise<TikTokMessage | null> {
    const since = m.since - CLOCK_SLACK_MS;
    const listed = await this.call(this.pullMessages(grant, m.conversation_id));
    return (
      listed.find((x) => x.direction === 'out' && x.text === m.text && x.sent_at >= since) ??
      (await this.activity.ownMessageSince(grant.open_id, m.conversation_id, m.text, since))
    );
  }

  async comments(grant: TikTokGrant, q: { video_id?: string }): Promise<TikTokComment[]> {
    if (q.video_id !== undefined) await this.pullComments(grant, q.video_id);
    return this.activity.comments(grant.open_id, q.video_id);
  }

  private async pullComments(grant: TikTokGrant, video_id: string): Promise<TikTokComment[]> {
    const list = await this.call(this.client.comments(grant.access_token, grant.open_id, video_id));
    const out = list.map(({ hidden, ...c }): TikTokComment => ({ ...c, status: hidden ? 'hidden' : 'published' }));
    for (const c of out) await this.activity.addComment(grant.open_id, c);
    return out;
  }

  comment(grant: TikTokGrant, comment_id: string): Promise<TikTokComment | null> {
    return this.activity.comment(grant.open_id, comment_id);
  }

  async replyComment(
    grant: TikTokGrant,
    r: { video_id: string; comment_id: string; text: string },
  ): Promise<TikTokComment> {
    const comment_id = await this.call(
      this.client.replyComment(grant.access_token, grant.open_id, r.video_id, r.comment_id, r.text),
    );
    const username = (await this.activity.usernameOf(grant.open_id)) ?? '';
    const reply: TikTokComment = {
      comment_id,
      video_id: r.video_id,
      parent_comment_id: r.comment_id,
      username,
      display_name: username,
      text: r.text,
      created_at: this.now(),
      status: 'published',
    };
    await this.activity.addComment(grant.open_id, reply);
    return reply;
  }

  async findReply(
    grant: TikTokGrant,
    r: { video_id: string; comment_id: string; text: string; since: Millis },
  ): Promise<TikTokComment | null> {
    const since = r.since - CLOCK_SLACK_MS;
    const list = await this.pullComments(grant, r.video_id);
    return list.find((c) => c.parent_comment_id === r.comment_id && c.text === r.text && c.created_at >= since) ?? null;
  }

  async follow(_grant: TikTokGrant, username: string): Promise<void> {
    throw new TikTokError('not_supported', FOLLOW_REASON, {
      details: { reason: FOLLOW_REASON, fallback_url: `https://www.tiktok.com/@${encodeURIComponent(username)}` },
    });
  }

  async advertisers(gmail: string) {
    return this.bc?.advertisers(gmail) ?? [];
  }

  async users(usernames: string[]) {
    return this.bc?.users(usernames) ?? new Map();
  }

  async requestAuthorization(): Promise<{ invite_url: string | null }> {
    if (!this.bc) throw new TikTokError('not_supported', NO_ADS_REASON, { details: { reason: NO_ADS_REASON } });
    return { invite_url: await this.bc.inviteLink() };
  }

  async revokeAuthorization(): Promise<void> {
    if (!this.bc) throw new TikTokError('not_supported', NO_ADS_REASON, { details: { reason: NO_ADS_REASON } });
    this.bc.revoke();
  }
}
