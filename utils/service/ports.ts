/**
 * The ports of the service core: everything `utils/service/` needs from the world, as interfaces that each
 * deployment implements with its own adapters.
 *
 * Why ports: the service's rules (verification codes, sessions, OAuth attempts, links, idempotency, the events feed,
 * the outbox of sends, the Ads state machine) must run unchanged in the embedded sandbox (in-memory store persisted
 * in the extension's IndexedDB, a simulated TikTok, a mailbox), on the loopback sandbox, and on the real server
 * (SQL store on PGlite/PostgreSQL, TikTok's HTTP APIs, SMTP). So the core never imports an adapter: it is handed
 *
 * - `Store`: the service's own tables. Records are plain JSON (times are epoch milliseconds, ids opaque strings),
 *   one explicit record type per table, async methods that a SQL adapter maps to one query each, and
 *   `transaction(fn)` whose inner store is the same interface (a SQL adapter opens a transaction; reads of
 *   `verifications`, `links` and `sends` with `{ lock: true }` inside it are `SELECT … FOR UPDATE`). A throw inside
 *   `fn` rolls back.
 * - `TikTok`: everything the service asks of TikTok, in the service's own terms. It answers TikTok's own rules
 *   (who can be followed, 150 characters, scopes) and fails with a `TikTokError` from a small vocabulary that the core
 *   maps to API errors. Methods that act on an account take the link's `TikTokGrant`; the core refreshes grants
 *   (`refresh`) before they expire and once on `token_expired`, one refresh at a time per link.
 * - `Mailer` (send one email), `Clock`, `Random`.
 *
 * Changing this file changes every adapter (the sandbox's here, the server's in `server/`): keep it small and stable.
 */
import type { NotificationSettings, Permission } from '../api/schemas';

/** Epoch milliseconds. */
export type Millis = number;

/* ============================== Clock, Random, Mailer ============================== */

export interface Clock {
  /** The service's time (the sandbox adds its clock offset). */
  now(): Millis;
}

export interface Random {
  /** `bytes` random bytes as lowercase hex (ids, tokens, OAuth state, PKCE verifier). */
  hex(bytes: number): string;
  /** `n` random decimal digits (verification codes). */
  digits(n: number): string;
}

export interface Email {
  to: string;
  from: { name: string; email: string };
  subject: string;
  text: string;
  /** The links of the email, in order (rendered as anchors by an HTML mailer; the mailbox keeps them as is). */
  links: { text: string; href: string }[];
  /** What the email is (`code`, …), for the sandbox mailbox and logs. */
  kind: string;
  /** Extra header fields (the server's notification emails: Message-ID, In-Reply-To, References, Reply-To, List-Unsubscribe). */
  headers?: Record<string, string>;
}

export interface Mailer {
  /** Sends one email; a rejection means it was not sent (the core then fails the call, nothing is half-done). */
  send(email: Email): Promise<void>;
}

/* ============================== Store: records ============================== */

export type VerificationStatus = 'code_sent' | 'verified' | 'expired' | 'locked';
export type LinkStatus = 'active' | 'reauth_required' | 'revoked';
export type AccountType = 'personal' | 'business';
export type AuthorizationStatus = 'pending' | 'authorized' | 'rejected' | 'expired' | 'revoked';
export type EventType =
  | 'message.received'
  | 'comment.received'
  | 'follower.new'
  | 'like.received'
  | 'link.status_changed'
  | 'ads_authorization.status_changed'
  | 'ads_request.received';

/** Table `verifications`, key `verification_id`. */
export interface VerificationRecord {
  verification_id: string;
  email: string;
  code: string;
  status: VerificationStatus;
  expires_at: Millis;
  resend_after: Millis;
  attempts_left: number;
  locked_until: Millis | null;
  created_at: Millis;
}

/** Table `link_starts`: one row per `link/start` (its per-address rate limit). */
export interface LinkStartRecord {
  email: string;
  at: Millis;
}

/** Table `sessions`, key `token` (a SQL adapter may store a hash of it). */
export interface SessionRecord {
  token: string;
  gmail: string;
  expires_at: Millis;
  revoked: boolean;
}

/** Table `oauth_attempts`, key `state`. */
export interface OAuthAttemptRecord {
  state: string;
  gmail: string;
  /** The extension's redirect URL given at `oauth/start` (where the browser must end). */
  redirect_uri: string;
  /** PKCE verifier (the TikTok adapter derives the challenge), null when the sign-in needs none. */
  code_verifier: string | null;
  expires_at: Millis;
  used: boolean;
  /**
   * Set when the deployment receives TikTok's callback itself (the server's `/oauth/tiktok/callback`): the code
   * stays on the server and `oauth/complete` uses it instead of one in the extension's callback URL.
   */
  callback_code?: string | null;
  callback_error?: string | null;
  /** SHA-256 (hex) of the session token that started it: only that session may complete it (absent on old records). */
  session_hash?: string | null;
}

/** What TikTok granted at sign-in; tokens are opaque to the core (a SQL store encrypts them at rest). */
export interface TikTokGrant {
  open_id: string;
  scopes: string[];
  access_token: string;
  access_expires_at: Millis;
  refresh_token: string | null;
  refresh_expires_at: Millis | null;
}

/** The TikTok account as the service shows it (`Link.tiktok`). */
export interface TikTokProfile {
  open_id: string;
  username: string;
  display_name: string;
  avatar_url: string;
  account_type: AccountType;
}

/** Table `links`, key `link_id`; at most one non-revoked link per `tiktok.open_id`. */
export interface LinkRecord {
  link_id: string;
  gmail: string;
  status: LinkStatus;
  tiktok: TikTokProfile;
  grant: TikTokGrant;
  linked_at: Millis;
  updated_at: Millis;
  /** Which kinds of activity the service emails to `gmail`; absent: the defaults (notifications.ts). */
  notifications?: NotificationSettings;
}

/**
 * Table `idempotency`, key `scope` (`<authorization header>|<Idempotency-Key>`); kept 24 h. A record with `status` 0
 * is a request still running (claimed by `claim`): a second one with that key waits for its answer.
 */
export interface IdempotencyRecord {
  scope: string;
  /** Method, path, query and body of the first request: the same key with another request is refused. */
  fingerprint: string;
  /** The HTTP status of the first answer; 0 while that request is still running. */
  status: number;
  body: string;
  headers: Record<string, string>;
  at: Millis;
}

export interface EventRef {
  conversation_id?: string;
  comment_id?: string;
  username?: string;
  authorization_id?: string;
  count?: number;
}

/** Table `events`, ordered by `seq` (assigned by the store on `append`, increasing); the feed's cursor is `seq`. */
export interface EventRecord {
  seq: number;
  event_id: string;
  type: EventType;
  link_id: string;
  gmail: string;
  at: Millis;
  summary: string;
  ref: EventRef;
}

export type UnreadKind = 'messages' | 'comments' | 'followers';

/** Table `unread`, key (`open_id`, `kind`, `ref`): what the account's owner has not seen (ref = conversation id, comment id or follower). */
export interface UnreadRecord {
  open_id: string;
  kind: UnreadKind;
  ref: string;
  count: number;
}

export type SendKind = 'message' | 'comment_reply';
export type SendStatus = 'pending' | 'sending' | 'sent' | 'failed';

/**
 * Table `sends`: the outbox of DMs and comment replies, key `send_id`, unique (`link_id`, `idempotency_key`).
 * TikTok's sends are not idempotent: a send whose outcome is unknown (`sending` past its lease) is first looked
 * for at TikTok (`findMessage` / `findReply`) and only sent again when it is not there. `sending` without a lease
 * is parked: its outcome is unknown and its link was not active to look, so only a retry with its key takes it.
 */
export interface SendRecord {
  send_id: string;
  link_id: string;
  idempotency_key: string;
  kind: SendKind;
  /** Conversation id (message) or comment id (comment reply). */
  target_id: string;
  /** The video of the comment (comment replies; TikTok needs it). */
  video_id: string | null;
  text: string;
  status: SendStatus;
  attempts: number;
  /** While `sending`: until when this claim holds; a later claim may take it over. Null while `sending`: parked. */
  lease_until: Millis | null;
  /** TikTok's id of what was sent, once `sent`. */
  result_id: string | null;
  /** The API error code when `failed`. */
  error: string | null;
  created_at: Millis;
  updated_at: Millis;
}

/** Table `authorizations` (Ads), key `authorization_id`. */
export interface AuthorizationRecord {
  authorization_id: string;
  advertiser_id: string;
  /** The Gmail user who asked (null: asked from outside the service). */
  requested_by: string | null;
  username: string;
  status: AuthorizationStatus;
  requested: Permission[];
  granted: Permission[];
  requested_at: Millis;
  decided_at: Millis | null;
  expires_at: Millis | null;
  /** The link the owner opens to approve in TikTok (real TikTok: the Business Center authorization link). */
  invite_url?: string | null;
}

/* ============================== Store: tables ============================== */

/** Equality filter on some fields of a record (every given field must match). */
export type Where<R> = { [K in keyof R]?: R[K] };

export interface Store {
  /** Runs `fn` atomically: its writes all happen or (when it throws) none do. Nested calls join the outer one. */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  verifications: {
    /** `lock` inside a transaction: `FOR UPDATE`, so parallel guesses of a code are counted one after the other. */
    get(id: string, opts?: { lock?: boolean }): Promise<VerificationRecord | null>;
    put(rec: VerificationRecord): Promise<void>;
    /** A verification of `email` locked until after `now`, if any. */
    lockedFor(email: string, now: Millis): Promise<VerificationRecord | null>;
  };
  linkStarts: {
    /**
     * Records the start `rec` unless `max` starts of its email happened in the `window_ms` before it, atomically (so
     * parallel starts, on any instance, are counted one after the other): null when recorded, else the time of the
     * oldest start in the window.
     */
    take(rec: LinkStartRecord, window_ms: number, max: number): Promise<Millis | null>;
  };
  sessions: {
    get(token: string): Promise<SessionRecord | null>;
    put(rec: SessionRecord): Promise<void>;
    revokeAll(gmail: string): Promise<void>;
  };
  oauth: {
    get(state: string): Promise<OAuthAttemptRecord | null>;
    put(rec: OAuthAttemptRecord): Promise<void>;
  };
  links: {
    get(id: string, opts?: { lock?: boolean }): Promise<LinkRecord | null>;
    put(rec: LinkRecord): Promise<void>;
    /** Links matching the filter, oldest `linked_at` first. `open_id`/`username` match `tiktok.*`. */
    find(where: { gmail?: string; status?: LinkStatus; open_id?: string; username?: string }): Promise<LinkRecord[]>;
  };
  idempotency: {
    get(scope: string): Promise<IdempotencyRecord | null>;
    /**
     * Atomically inserts `rec` (status 0: running) unless a record of its scope exists, and returns null when it did:
     * the caller runs the request. Else returns the existing record — unless that one is running since before
     * `staleBefore` (its request died) or older than `expiredBefore`, which `rec` then replaces (null).
     * SQL: `INSERT … ON CONFLICT DO UPDATE … WHERE <stale or expired> RETURNING`.
     */
    claim(
      rec: IdempotencyRecord,
      opts: { staleBefore: Millis; expiredBefore: Millis },
    ): Promise<IdempotencyRecord | null>;
    /** Forgets a running claim (its request ended in an answer that is not kept: 429, 5xx), so a retry acts. */
    release(scope: string): Promise<void>;
    put(rec: IdempotencyRecord): Promise<void>;
    /** Forgets records older than `before`. */
    prune(before: Millis): Promise<void>;
  };
  events: {
    append(rec: Omit<EventRecord, 'seq'>): Promise<EventRecord>;
    /** `gmail`'s events with `seq > after`, oldest first, at most `limit`. */
    after(gmail: string, after: number, limit: number): Promise<EventRecord[]>;
  };
  unread: {
    add(open_id: string, kind: UnreadKind, ref: string, n: number): Promise<void>;
    /** Clears one ref, or every ref of that kind when `ref` is absent. */
    clear(open_id: string, kind: UnreadKind, ref?: string): Promise<void>;
    list(open_ids: string[], kind?: UnreadKind): Promise<UnreadRecord[]>;
  };
  sends: {
    get(send_id: string, opts?: { lock?: boolean }): Promise<SendRecord | null>;
    /** `lock` inside a transaction: `FOR UPDATE`, so a client's retry and a worker's claim of one send are taken one after the other. */
    byKey(link_id: string, idempotency_key: string, opts?: { lock?: boolean }): Promise<SendRecord | null>;
    put(rec: SendRecord): Promise<void>;
    /**
     * Takes up to `limit` sends that are `pending`, or `sending` with `lease_until <= now` (never a parked one, whose
     * `lease_until` is null), sets them `sending` with `lease_until = now + lease_ms` and `attempts + 1`, and returns
     * them (SQL: `UPDATE … WHERE send_id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *`).
     */
    claim(now: Millis, lease_ms: number, limit: number): Promise<SendRecord[]>;
  };
  authorizations: {
    get(id: string): Promise<AuthorizationRecord | null>;
    put(rec: AuthorizationRecord): Promise<void>;
    /** Matching records, newest `requested_at` first. */
    find(
      where: Where<Pick<AuthorizationRecord, 'advertiser_id' | 'username' | 'status' | 'requested_by'>>,
    ): Promise<AuthorizationRecord[]>;
    /**
     * Marks every `pending` authorization whose `expires_at` is at or before `now` as `expired`, atomically, and
     * answers the ones this call expired (so of several instances expiring at once, each record is told once).
     */
    expire(now: Millis): Promise<AuthorizationRecord[]>;
  };
}

/* ============================== TikTok ============================== */

/**
 * What a TikTok call can fail with, in the service's terms:
 * - `access_denied`: the user refused the sign-in; `invalid_grant`: the code/refresh token is not (or no longer) valid;
 * - `token_expired`: the access token expired (the core refreshes once and retries); `reauth_required`: TikTok
 *   refuses the grant for good (the link becomes `reauth_required`);
 * - `scope_not_authorized` (`details.scope`), `not_found`, `invalid_username`, `not_supported` (`details.reason`,
 *   `details.fallback_url`), `text_too_long`, `reply_window_expired`, `message_quota_exceeded`;
 * - `rate_limited` (`retry_after_s`): TikTok did not act, retry later;
 * - `unavailable`: TikTok failed and did not act (safe to retry at once);
 * - `unknown_outcome`: timeout, dropped connection or 5xx after the request left: it may have acted (look before
 *   sending again).
 */
export const TIKTOK_ERROR_CODES = [
  'access_denied',
  'invalid_grant',
  'token_expired',
  'reauth_required',
  'scope_not_authorized',
  'not_found',
  'invalid_username',
  'not_supported',
  'text_too_long',
  'reply_window_expired',
  'message_quota_exceeded',
  'rate_limited',
  'unavailable',
  'unknown_outcome',
] as const;
export type TikTokErrorCode = (typeof TIKTOK_ERROR_CODES)[number];

export class TikTokError extends Error {
  constructor(
    readonly code: TikTokErrorCode,
    message: string,
    readonly extra: { retry_after_s?: number; details?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.name = 'TikTokError';
  }
}

/** The account as TikTok describes it after sign-in; `email` only where TikTok tells it (real TikTok never does). */
export interface TikTokAccount extends TikTokProfile {
  email?: string | null;
}

/** Another TikTok user as shown beside their messages, comments and Ads requests. */
export interface TikTokUser {
  username: string;
  display_name: string;
  avatar_url: string;
  account_type: AccountType;
}

/** One capability of a linked account: usable, or why not (`scope` when a missing scope is the reason). */
export type Capability = { ok: true } | { ok: false; reason: string; scope?: string };

export interface TikTokConversation {
  conversation_id: string;
  participant: { username: string; display_name: string; avatar_url: string };
  last_message_at: Millis;
  /** The other user's last message (start of TikTok's reply window), null when they never wrote. */
  last_in_at: Millis | null;
  /** Our messages since `last_in_at` (TikTok's quota counts them). */
  sent_since_last_in: number;
}

export interface TikTokMessage {
  message_id: string;
  conversation_id: string;
  direction: 'in' | 'out';
  text: string;
  sent_at: Millis;
}

export interface TikTokComment {
  comment_id: string;
  video_id: string;
  parent_comment_id: string | null;
  username: string;
  display_name: string;
  text: string;
  created_at: Millis;
  status: 'published' | 'pending_review' | 'hidden';
}

export type AdvertiserRole = 'admin' | 'operator' | 'analyst';
export interface Advertiser {
  advertiser_id: string;
  name: string;
}

/** What this TikTok (and this deployment's app) can do at all: `GET /v1/service`'s `tiktok` and `features`. */
export interface TikTokInfo {
  kind: 'simulated' | 'tiktok';
  follow: boolean;
  ads: boolean;
  ads_approve_in_api: boolean;
  /** Why `ads` is off, for the user (the advertiser's Ads calls answer `not_supported` with it). */
  ads_reason?: string;
}

export interface TikTok {
  info(): TikTokInfo;

  /* Sign-in (OAuth 2.0). `redirect_uri` is the extension's; an adapter with its own callback uses that instead. */
  authorizeUrl(a: { state: string; redirect_uri: string; code_verifier: string | null }): string;
  exchangeCode(a: { code: string; redirect_uri: string; code_verifier: string | null }): Promise<TikTokGrant>;
  refresh(grant: TikTokGrant): Promise<TikTokGrant>;
  revoke(grant: TikTokGrant): Promise<void>;
  account(grant: TikTokGrant): Promise<TikTokAccount>;
  /** What the linked account can do with this grant (account type, scopes, region, app approval). */
  capabilities(
    account: TikTokProfile,
    scopes: string[],
  ): { messages: Capability; comments: Capability; follow: Capability };
  /** The scope each kind of call needs (checked by the core before calling, so the error names it). */
  scopes: {
    messages_read: string;
    messages_send: string;
    comments_read: string;
    comments_reply: string;
    follow: string;
  };

  /* Direct messages. */
  conversations(grant: TikTokGrant, q: { username?: string }): Promise<TikTokConversation[]>;
  conversation(grant: TikTokGrant, conversation_id: string): Promise<TikTokConversation | null>;
  /** Oldest first. */
  messages(grant: TikTokGrant, conversation_id: string): Promise<TikTokMessage[]>;
  sendMessage(grant: TikTokGrant, m: { conversation_id: string; text: string }): Promise<TikTokMessage>;
  /** After an unknown outcome: our message with that text sent at or after `since`, if TikTok has it. */
  findMessage(
    grant: TikTokGrant,
    m: { conversation_id: string; text: string; since: Millis },
  ): Promise<TikTokMessage | null>;

  /* Comments on the account's own videos. */
  comments(grant: TikTokGrant, q: { video_id?: string }): Promise<TikTokComment[]>;
  comment(grant: TikTokGrant, comment_id: string): Promise<TikTokComment | null>;
  replyComment(grant: TikTokGrant, r: { video_id: string; comment_id: string; text: string }): Promise<TikTokComment>;
  findReply(
    grant: TikTokGrant,
    r: { video_id: string; comment_id: string; text: string; since: Millis },
  ): Promise<TikTokComment | null>;

  /* Follow (real TikTok: `not_supported`). */
  follow(grant: TikTokGrant, username: string): Promise<void>;
  /** Whether the account follows `username`; absent where TikTok cannot tell (the API then answers `not_supported`). */
  isFollowing?(grant: TikTokGrant, username: string): Promise<boolean>;

  /* Ads Manager. */
  /** Every advertiser of the deployment, with the Gmail user's role on it (null: no access). */
  advertisers(gmail: string): Promise<(Advertiser & { role: AdvertiserRole | null })[]>;
  /** Public facts about TikTok users (Ads requests name them), keyed by the names as asked (matched without case); unknown ones are absent. */
  users(usernames: string[]): Promise<Map<string, TikTokUser>>;
  /**
   * Asks the account's owner to authorize the advertiser: TikTok notifies them and/or returns the link they open
   * (`invite_url`, null where approval happens in the service's API).
   */
  requestAuthorization(r: {
    authorization_id: string;
    advertiser: Advertiser;
    username: string;
    permissions: Permission[];
    expires_at: Millis;
  }): Promise<{ invite_url: string | null }>;
  /** Ends the advertiser's access to the account at TikTok. */
  revokeAuthorization(r: { advertiser_id: string; username: string }): Promise<void>;
}
