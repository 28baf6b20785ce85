/**
 * The simulated TikTok: the `TikTok` port over the sandbox's seed world (state.ts). It answers as TikTok would —
 * its accounts and their emails, sign-in codes bound to the attempt's redirect URI and PKCE verifier, conversations,
 * comments (a reply with a URL waits for review), follows, advertisers and their roles — and sends TikTok's own
 * notification emails (Ads requests) to the mailbox. The `tiktok-like` profile makes it answer like TikTok's real
 * APIs do (research/real-service.md §1): no account email, no follow, Ads approved through an invite link, and
 * messages/comments only for Business Accounts.
 */
import { COMMENT_MAX, MESSAGE_MAX, tiktokLength } from '../api/schemas';
import type {
  AdvertiserRole,
  Capability,
  Clock,
  Millis,
  TikTok,
  TikTokComment,
  TikTokConversation,
  TikTokGrant,
  TikTokMessage,
  TikTokProfile,
} from '../service/ports';
import { TikTokError } from '../service/ports';
import { adsRequestEmail, adsReviewUrl } from './emails';
import { deliver } from './mailbox';
import {
  nextId,
  numericId,
  simulatedGrant,
  type AdvertiserRec,
  type CommentRec,
  type ConversationRec,
  type SandboxState,
  type TikTokUser,
} from './state';

export interface SimulatedTikTokOptions {
  /** Where the TikTok sign-in page is for an attempt (HTTP: /sandbox/oauth/authorize; embedded: the extension page). */
  authorizeUrl: (q: { state: string; redirect_uri: string }) => string;
}

const URL_RE = /(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(com|net|org|io|co|ly|me)\b/i;

export const roleOf = (a: AdvertiserRec, gmail: string): AdvertiserRole | null =>
  gmail in a.roles ? a.roles[gmail]! : a.default_role;

const SCOPE_OF = {
  messages_read: 'direct_message.read',
  messages_send: 'direct_message.send',
  comments_read: 'comment.list',
  comments_reply: 'comment.reply',
  follow: 'follow.write',
};

function scoped(scopes: string[], needed: string[], what: string): Capability {
  const missing = needed.find((s) => !scopes.includes(s));
  return missing
    ? { ok: false, reason: `Access to ${what} was not allowed when you signed in to TikTok.`, scope: missing }
    : { ok: true };
}

/** What every part of the simulated TikTok reads: the sandbox state, its clock, the profile and the signed-in user. */
interface World {
  state: () => SandboxState;
  clock: Clock;
  tiktokLike: () => boolean;
  userOf: (grant: TikTokGrant) => TikTokUser;
}

export function createSimulatedTikTok(state: () => SandboxState, clock: Clock, opts: SimulatedTikTokOptions): TikTok {
  const tiktokLike = () => state().profile === 'tiktok-like';
  const userOf = (grant: TikTokGrant): TikTokUser => {
    const u = Object.values(state().users).find((x) => x.open_id === grant.open_id);
    if (!u) throw new TikTokError('reauth_required', 'TikTok does not know this account any more.');
    return u;
  };
  const w: World = { state, clock, tiktokLike, userOf };
  return { ...signIn(w, opts), ...directMessages(w), ...comments(w), ...followsAndAds(w) };
}

const findMatch = <T extends { text: string }>(items: T[], text: string, at: (x: T) => Millis, since: Millis) =>
  items.find((x) => x.text === text && at(x) >= since) ?? null;
const tooLong = (text: string, max: number) => {
  if (tiktokLength(text) > max)
    throw new TikTokError('text_too_long', `TikTok allows at most ${max} characters.`, { details: { max } });
};

/** Sign-in, the account, and what it may do (scopes; the `tiktok-like` profile's limits). */
function signIn({ state, clock, tiktokLike, userOf }: World, opts: SimulatedTikTokOptions) {
  function capabilities(account: TikTokProfile, scopes: string[]) {
    const personal = tiktokLike() && account.account_type === 'personal';
    const businessOnly = (what: string): Capability => ({
      ok: false,
      reason: `TikTok lets apps handle ${what} only for Business Accounts. Switch @${account.username} to a Business Account in TikTok to use it from Gmail.`,
    });
    return {
      messages: personal
        ? businessOnly('direct messages')
        : scoped(scopes, [SCOPE_OF.messages_read, SCOPE_OF.messages_send], 'direct messages'),
      comments: personal
        ? businessOnly('comments')
        : scoped(scopes, [SCOPE_OF.comments_read, SCOPE_OF.comments_reply], 'comments'),
      follow: tiktokLike()
        ? {
            ok: false as const,
            reason: 'TikTok does not let apps follow accounts. Open the profile in TikTok to follow.',
          }
        : scoped(scopes, [SCOPE_OF.follow], 'following accounts'),
    };
  }
  return {
    info: () => ({ kind: 'simulated' as const, follow: !tiktokLike(), ads: true, ads_approve_in_api: !tiktokLike() }),
    scopes: SCOPE_OF,

    authorizeUrl: (a: { state: string; redirect_uri: string }) =>
      opts.authorizeUrl({ state: a.state, redirect_uri: a.redirect_uri }),
    async exchangeCode({ code, redirect_uri, code_verifier }) {
      const c = state().signin_codes[code];
      if (!c || c.expires_at <= clock.now() || c.redirect_uri !== redirect_uri || c.code_verifier !== code_verifier)
        throw new TikTokError('invalid_grant', 'TikTok does not know this code.');
      const u = state().users[c.username];
      if (!u) throw new TikTokError('invalid_grant', 'TikTok does not know this account.');
      return simulatedGrant(u, c.scopes);
    },
    refresh: async (grant) => grant,
    revoke: async () => undefined,
    async account(grant) {
      const u = userOf(grant);
      return {
        open_id: u.open_id,
        username: u.username,
        display_name: u.display_name,
        avatar_url: u.avatar_url,
        account_type: u.account_type,
        ...(!tiktokLike() && { email: u.email }),
      };
    },
    capabilities,
  } satisfies Partial<TikTok>;
}

/** Direct messages: the signed-in account's conversations, sending, and finding a send whose outcome was unknown. */
function directMessages({ state, clock, userOf }: World) {
  function conversationOf(c: ConversationRec): TikTokConversation {
    const p = state().users[c.participant]!;
    let lastIn = -1;
    c.messages.forEach((m, i) => {
      if (m.direction === 'in') lastIn = i;
    });
    return {
      conversation_id: c.conversation_id,
      participant: { username: p.username, display_name: p.display_name, avatar_url: p.avatar_url },
      last_message_at: c.messages[c.messages.length - 1]?.sent_at ?? clock.now(),
      last_in_at: lastIn >= 0 ? c.messages[lastIn]!.sent_at : null,
      sent_since_last_in: lastIn >= 0 ? c.messages.slice(lastIn + 1).filter((m) => m.direction === 'out').length : 0,
    };
  }
  const ownConversation = (grant: TikTokGrant, id: string) => {
    const c = state().conversations[id];
    return c && c.owner === userOf(grant).username ? c : null;
  };
  const messageOf = (c: ConversationRec, m: ConversationRec['messages'][number]): TikTokMessage => ({
    ...m,
    conversation_id: c.conversation_id,
  });
  return {
    conversations: async (grant, q) =>
      Object.values(state().conversations)
        .filter(
          (c) =>
            c.owner === userOf(grant).username &&
            (!q.username || c.participant.toLowerCase() === q.username.toLowerCase()),
        )
        .map(conversationOf),
    async conversation(grant, id) {
      const c = ownConversation(grant, id);
      return c ? conversationOf(c) : null;
    },
    async messages(grant, id) {
      const c = ownConversation(grant, id);
      if (!c) throw new TikTokError('not_found', 'Unknown conversation.', { details: { field: 'conversation_id' } });
      return c.messages.map((m) => messageOf(c, m));
    },
    async sendMessage(grant, { conversation_id, text }) {
      const c = ownConversation(grant, conversation_id);
      if (!c) throw new TikTokError('not_found', 'Unknown conversation.', { details: { field: 'conversation_id' } });
      tooLong(text, MESSAGE_MAX);
      const m = { message_id: nextId(state(), 'msg'), direction: 'out' as const, text, sent_at: clock.now() };
      c.messages.push(m);
      return messageOf(c, m);
    },
    async findMessage(grant, { conversation_id, text, since }) {
      const c = ownConversation(grant, conversation_id);
      const found = c
        ? findMatch(
            c.messages.filter((m) => m.direction === 'out'),
            text,
            (m) => m.sent_at,
            since,
          )
        : null;
      return c && found ? messageOf(c, found) : null;
    },
  } satisfies Partial<TikTok>;
}

/** Comments on the account's videos and replies to them (a reply with a URL waits for review). */
function comments({ state, clock, userOf }: World) {
  const commentOf = (c: CommentRec): TikTokComment => ({
    comment_id: c.comment_id,
    video_id: c.video_id,
    parent_comment_id: c.parent_comment_id,
    username: c.username,
    display_name: state().users[c.username]?.display_name ?? c.username,
    text: c.text,
    created_at: c.created_at,
    status: c.status,
  });
  const ownComment = (grant: TikTokGrant, id: string) => {
    const c = state().comments[id];
    return c && c.owner === userOf(grant).username ? c : null;
  };
  return {
    comments: async (grant, q) =>
      Object.values(state().comments)
        .filter((c) => c.owner === userOf(grant).username && (!q.video_id || c.video_id === q.video_id))
        .map(commentOf),
    async comment(grant, id) {
      const c = ownComment(grant, id);
      return c ? commentOf(c) : null;
    },
    async replyComment(grant, { comment_id, text }) {
      const target = ownComment(grant, comment_id);
      if (!target) throw new TikTokError('not_found', 'Unknown comment.', { details: { field: 'comment_id' } });
      tooLong(text, COMMENT_MAX);
      const reply: CommentRec = {
        comment_id: numericId(),
        owner: target.owner,
        video_id: target.video_id,
        parent_comment_id: target.parent_comment_id ?? target.comment_id,
        username: userOf(grant).username,
        text,
        created_at: clock.now(),
        status: URL_RE.test(text) ? 'pending_review' : 'published',
      };
      state().comments[reply.comment_id] = reply;
      return commentOf(reply);
    },
    async findReply(grant, { comment_id, text, since }) {
      const replies = Object.values(state().comments).filter(
        (c) => c.parent_comment_id === comment_id && c.username === userOf(grant).username,
      );
      const found = findMatch(replies, text, (c) => c.created_at, since);
      return found ? commentOf(found) : null;
    },
  } satisfies Partial<TikTok>;
}

/** Follows (not in the `tiktok-like` profile), advertisers and Ads authorization requests (their email to the owner). */
function followsAndAds({ state, clock, tiktokLike, userOf }: World) {
  return {
    async follow(grant, username) {
      if (tiktokLike()) throw new TikTokError('not_supported', 'TikTok does not let apps follow accounts.');
      const me = userOf(grant).username;
      const s = state();
      if (!s.users[username])
        throw new TikTokError('not_found', `There is no TikTok account @${username}.`, {
          details: { field: 'username' },
        });
      if (!s.follows.some((f) => f.follower === me && f.username === username))
        s.follows.push({ follower: me, username, at: clock.now() });
    },

    isFollowing: async (grant, username) =>
      state().follows.some((f) => f.follower === userOf(grant).username && f.username === username),

    advertisers: async (gmail) =>
      Object.values(state().advertisers).map((a) => ({
        advertiser_id: a.advertiser_id,
        name: a.name,
        role: roleOf(a, gmail),
      })),
    async users(names) {
      const all = Object.values(state().users);
      const out = new Map<
        string,
        { username: string; display_name: string; avatar_url: string; account_type: TikTokUser['account_type'] }
      >();
      for (const name of names) {
        const u = state().users[name] ?? all.find((x) => x.username.toLowerCase() === name.toLowerCase());
        if (u)
          out.set(name, {
            username: u.username,
            display_name: u.display_name,
            avatar_url: u.avatar_url,
            account_type: u.account_type,
          });
      }
      return out;
    },
    async requestAuthorization({ authorization_id, advertiser, username, permissions, expires_at }) {
      const u = state().users[username];
      if (u)
        deliver(
          state(),
          clock.now(),
          adsRequestEmail(u.email, u.username, advertiser.name, authorization_id, permissions, expires_at),
        );
      return { invite_url: tiktokLike() ? adsReviewUrl(authorization_id) : null };
    },
    revokeAuthorization: async () => undefined,
  } satisfies Partial<TikTok>;
}
