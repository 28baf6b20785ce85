/**
 * The server's tables (drizzle-orm, PostgreSQL dialect: the same schema and migrations run on PGlite and on
 * PostgreSQL). Two groups:
 * - the service core's `Store` (utils/service/ports.ts), one table per record type — secrets never stored plainly:
 *   session tokens and idempotency scopes (which contain a bearer token) are kept as SHA-256 hashes, TikTok access
 *   and refresh tokens and OAuth callback codes sealed with AES-256-GCM (server/crypto.ts);
 * - what TikTok told us (`tt_*`): messages, conversations and comments stored from webhooks and lists (TikTok cannot
 *   filter by username, and the reply window is computed from them), and the webhook inbox that makes at-least-once
 *   deliveries harmless (its key is TikTok's message or comment id).
 * Times are epoch milliseconds (`bigint`, read as numbers). Migrations: `npx drizzle-kit generate` → server/db/migrations.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ms = (name: string) => bigint(name, { mode: 'number' });

export const verifications = pgTable(
  'verifications',
  {
    verification_id: text().primaryKey(),
    email: text().notNull(),
    code: text().notNull(),
    status: text().notNull(),
    expires_at: ms('expires_at').notNull(),
    resend_after: ms('resend_after').notNull(),
    attempts_left: integer().notNull(),
    locked_until: ms('locked_until'),
    created_at: ms('created_at').notNull(),
  },
  (t) => [index('verifications_email').on(t.email)],
);

export const linkStarts = pgTable(
  'link_starts',
  {
    id: bigserial({ mode: 'number' }).primaryKey(),
    email: text().notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('link_starts_email_at').on(t.email, t.at)],
);

export const sessions = pgTable(
  'sessions',
  {
    token_hash: text().primaryKey(),
    gmail: text().notNull(),
    expires_at: ms('expires_at').notNull(),
    revoked: boolean().notNull(),
  },
  (t) => [index('sessions_gmail').on(t.gmail)],
);

export const oauthAttempts = pgTable('oauth_attempts', {
  state: text().primaryKey(),
  gmail: text().notNull(),
  redirect_uri: text().notNull(),
  code_verifier: text(),
  expires_at: ms('expires_at').notNull(),
  used: boolean().notNull(),
  callback_code_sealed: text(),
  callback_error: text(),
  /** SHA-256 of the session token that started the sign-in: only that session may complete it. */
  session_hash: text(),
});

export const links = pgTable(
  'links',
  {
    link_id: text().primaryKey(),
    gmail: text().notNull(),
    status: text().notNull(),
    open_id: text().notNull(),
    username: text().notNull(),
    profile: jsonb().notNull(),
    scopes: jsonb().$type<string[]>().notNull(),
    access_token_sealed: text().notNull(),
    access_expires_at: ms('access_expires_at').notNull(),
    refresh_token_sealed: text(),
    refresh_expires_at: ms('refresh_expires_at'),
    linked_at: ms('linked_at').notNull(),
    updated_at: ms('updated_at').notNull(),
    /** Which kinds of activity are emailed (null: the defaults, utils/service/notifications.ts). */
    notifications: jsonb().$type<Record<string, boolean>>(),
  },
  (t) => [
    index('links_gmail').on(t.gmail),
    index('links_open_id').on(t.open_id),
    index('links_username').on(t.username),
  ],
);

export const idempotency = pgTable(
  'idempotency',
  {
    scope_hash: text().primaryKey(),
    fingerprint: text().notNull(),
    status: integer().notNull(),
    body: text().notNull(),
    headers: jsonb().$type<Record<string, string>>().notNull(),
    at: ms('at').notNull(),
  },
  (t) => [index('idempotency_at').on(t.at)],
);

export const events = pgTable(
  'events',
  {
    seq: bigserial({ mode: 'number' }).primaryKey(),
    event_id: text().notNull().unique(),
    type: text().notNull(),
    link_id: text().notNull(),
    gmail: text().notNull(),
    at: ms('at').notNull(),
    summary: text().notNull(),
    ref: jsonb().notNull(),
  },
  (t) => [index('events_gmail_seq').on(t.gmail, t.seq)],
);

export const unread = pgTable(
  'unread',
  {
    open_id: text().notNull(),
    kind: text().notNull(),
    ref: text().notNull(),
    count: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.open_id, t.kind, t.ref] })],
);

export const sends = pgTable(
  'sends',
  {
    send_id: text().primaryKey(),
    link_id: text().notNull(),
    idempotency_key: text().notNull(),
    kind: text().notNull(),
    target_id: text().notNull(),
    video_id: text(),
    text: text().notNull(),
    status: text().notNull(),
    attempts: integer().notNull(),
    lease_until: ms('lease_until'),
    result_id: text(),
    error: text(),
    created_at: ms('created_at').notNull(),
    updated_at: ms('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('sends_link_key').on(t.link_id, t.idempotency_key),
    index('sends_claimable')
      .on(t.status, t.lease_until)
      .where(sql`status in ('pending', 'sending')`),
  ],
);

export const authorizations = pgTable(
  'authorizations',
  {
    authorization_id: text().primaryKey(),
    advertiser_id: text().notNull(),
    requested_by: text(),
    username: text().notNull(),
    status: text().notNull(),
    requested: jsonb().$type<string[]>().notNull(),
    granted: jsonb().$type<string[]>().notNull(),
    requested_at: ms('requested_at').notNull(),
    decided_at: ms('decided_at'),
    expires_at: ms('expires_at'),
    invite_url: text(),
  },
  (t) => [
    index('authorizations_advertiser').on(t.advertiser_id),
    index('authorizations_username').on(t.username),
    index('authorizations_pending_expiry')
      .on(t.expires_at)
      .where(sql`${t.status} = 'pending'`),
  ],
);

/* —— what TikTok told us —— */

export const ttConversations = pgTable(
  'tt_conversations',
  {
    open_id: text().notNull(),
    conversation_id: text().notNull(),
    peer_id: text().notNull(),
    peer_username: text().notNull(),
    peer_display_name: text().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.open_id, t.conversation_id] }),
    index('tt_conversations_peer').on(t.open_id, t.peer_username),
  ],
);

export const ttMessages = pgTable(
  'tt_messages',
  {
    open_id: text().notNull(),
    message_id: text().notNull(),
    conversation_id: text().notNull(),
    direction: text().notNull(),
    text: text().notNull(),
    sent_at: ms('sent_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.open_id, t.message_id] }),
    index('tt_messages_conversation').on(t.open_id, t.conversation_id, t.sent_at),
  ],
);

export const ttComments = pgTable(
  'tt_comments',
  {
    open_id: text().notNull(),
    comment_id: text().notNull(),
    video_id: text().notNull(),
    parent_comment_id: text(),
    username: text().notNull(),
    display_name: text().notNull(),
    text: text().notNull(),
    created_at: ms('created_at').notNull(),
    status: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.open_id, t.comment_id] }), index('tt_comments_username').on(t.open_id, t.username)],
);

/**
 * Verified webhooks, keyed by TikTok's own id of what they describe (a redelivery inserts nothing); `processed_at` null
 * until their effects are done, claimed with a lease like the sends so a crash mid-processing is picked up again.
 */
export const webhookInbox = pgTable(
  'webhook_inbox',
  {
    key: text().primaryKey(),
    event: text().notNull(),
    open_id: text().notNull(),
    content: jsonb().notNull(),
    received_at: ms('received_at').notNull(),
    /** While one instance processes it: until when that claim holds. */
    lease_until: ms('lease_until'),
    processed_at: ms('processed_at'),
  },
  (t) => [
    index('webhook_inbox_pending')
      .on(t.received_at)
      .where(sql`processed_at is null`),
  ],
);

/** The account's follower count as last read from TikTok (`business/get/`): an increase becomes one `follower.new` with a count. */
export const ttStats = pgTable('tt_stats', {
  open_id: text().primaryKey(),
  followers_count: integer().notNull(),
  checked_at: ms('checked_at').notNull(),
});

/** Hourly counts shared by every instance (code emails, server/rate-counters.ts): per key, the count in its current window. */
export const rateLimits = pgTable('rate_limits', {
  key: text().primaryKey(),
  window_start: ms('window_start').notNull(),
  count: integer().notNull(),
});

/**
 * Per-minute limits shared by every instance (server/rate-counters.ts): per key (`ip:…`, `session:<sha256>`), when its
 * token bucket would be full again (GCRA's theoretical arrival time, epoch ms, fractional). A row whose time has passed
 * is a full bucket, the same as no row, and is pruned. UNLOGGED (set by hand in its migration): counters need no
 * crash safety, and their writes then skip the WAL.
 */
export const rateBuckets = pgTable('rate_buckets', {
  key: text().primaryKey(),
  tat: doublePrecision().notNull(),
});

/* —— notification emails and replies by email (server/mail/) —— */

/**
 * One mail thread per link and conversation, comment, or kind (`kind` is the notification setting: messages,
 * comments, mentions, followers, ads; `target_id` the conversation or comment id, `followers`, the authorization id).
 * Its random `thread_id` is what the signed reply token carries. Activity waiting to be emailed is counted in
 * `pending` (followers: their number) with `pending_items` (what the email lists), sent once `due_at` (the burst went
 * quiet, or waited long enough) by the instance holding the lease; Message-IDs thread the emails in Gmail.
 */
export const mailThreads = pgTable(
  'mail_threads',
  {
    thread_id: text().primaryKey(),
    link_id: text().notNull(),
    kind: text().notNull(),
    target_id: text().notNull(),
    pending: integer().notNull().default(0),
    pending_items: jsonb().$type<Record<string, unknown>[]>().notNull().default([]),
    first_pending_at: ms('first_pending_at'),
    due_at: ms('due_at'),
    lease_until: ms('lease_until'),
    root_message_id: text(),
    last_message_id: text(),
    emails: integer().notNull().default(0),
  },
  (t) => [
    uniqueIndex('mail_threads_target').on(t.link_id, t.kind, t.target_id),
    index('mail_threads_due')
      .on(t.due_at)
      .where(sql`pending > 0`),
  ],
);

/**
 * Authenticated reply emails, keyed by SHA-256 of the link and the email's Message-ID: a redelivered or re-sent email
 * inserts nothing and sends nothing. `status`: `sending` (handed to the outbox), `sent`, `failed` (answered by email
 * with `reason`), `pending` (TikTok's answer unknown: the outbox settles it, ../mail/reply-outcome.ts follows it to
 * `sent`, `failed` or `parked`), `parked` (the outbox parked it as its link stopped being active; answered by email).
 * `origin`: the email's Message-ID, Subject and References, to answer it in its thread later.
 */
export const inboundEmails = pgTable(
  'inbound_emails',
  {
    key: text().primaryKey(),
    link_id: text().notNull(),
    thread_id: text().notNull(),
    received_at: ms('received_at').notNull(),
    status: text().notNull(),
    reason: text(),
    origin: jsonb().$type<{ message_id: string; subject: string; references: string[] }>(),
  },
  (t) => [
    index('inbound_emails_link').on(t.link_id, t.received_at),
    index('inbound_emails_pending')
      .on(t.received_at)
      .where(sql`status = 'pending'`),
  ],
);
