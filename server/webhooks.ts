/**
 * TikTok's webhooks (research real-service.md §3), in two steps so a live delivery is never slowed into a rejection:
 *
 * 1. `receive(raw body, TikTok-Signature)`: the HMAC-SHA256 of `"<t>.<raw body>"` with the client secret is checked
 *    in constant time and `t` must be within the freshness window — before anything else. A verified, well-formed
 *    event is written to `webhook_inbox` under TikTok's own id of what it describes (message id, comment id), so a
 *    redelivery inserts nothing; then the caller answers 200. Unknown or malformed events are logged, answered 200,
 *    and change nothing.
 * 2. `processPending()`: claims up to 20 unprocessed inbox rows with a lease (FOR UPDATE SKIP LOCKED, like the sends,
 *    so instances share the inbox without waiting on each other), stores what they say (./tiktok/activity.ts) and
 *    tells the core (`ingest`) — in one transaction with marking the rows processed, so a crash between the events
 *    and the mark rolls both back and the retry makes each event once (a batch that fails is settled again one row
 *    at a time; TikTok is asked for what the events lack before that transaction, once per video, never inside it): `im_receive_msg` → one `message.received`;
 *    `im_send_msg` (our send's echo, or a send made in the TikTok app) → stored as our message under TikTok's id,
 *    never a second message nor an event; `comment.update` insert → the comment (username fetched when the event
 *    lacks it) and one `comment.received` unless we wrote it; `authorization.removed` → link `reauth_required`.
 */
import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { Ingest } from '../utils/service';
import type { Store } from '../utils/service/ports';
import type { Db } from './db';
import type { SqlStore } from './store';
import * as t from './db/schema';
import type { Activity } from './tiktok/activity';
import type { TikTokClient } from './tiktok/client';
import { parseTikTokJson } from './tiktok/json';

const Envelope = z.object({
  client_key: z.string(),
  event: z.string(),
  create_time: z.coerce.number(),
  user_openid: z.string().min(1),
  content: z.string(),
});
const id = z.union([z.string(), z.number()]).transform(String).pipe(z.string().min(1));
const DmContent = z.object({
  conversation_id: id,
  message_id: id,
  timestamp: z.coerce.number(),
  type: z.string().optional(),
  text: z.object({ body: z.string() }).partial().optional(),
  from: z.string().optional(),
  from_user: z.object({ id }),
  to: z.string().optional(),
  to_user: z.object({ id }),
});
const CommentContent = z.object({
  comment_id: id,
  video_id: id,
  parent_comment_id: id.optional(),
  comment_action: z.string(),
  unique_identifier: z.string().optional(),
  text: z.string().optional(),
  timestamp: z.coerce.number().optional(),
});

/** Inbox rows settled in one transaction (and leased in one claim). */
const BATCH = 20;

type InboxRow = typeof t.webhookInbox.$inferSelect;
type TikTokComment = Awaited<ReturnType<TikTokClient['comments']>>[number];
/** TikTok's comments by `<open_id>:<comment_id>`. */
type FetchedComments = Map<string, TikTokComment>;

export type ReceiveResult = { status: 200 } | { status: 401; reason: string };

/** What one inbox row's effects are written with: all of it inside one database transaction. */
export interface WebhookTx {
  db: Db;
  store: SqlStore;
  activity: Activity;
  ingest: Ingest;
}

export interface WebhookDeps {
  db: Db;
  store: Store;
  /** Runs `fn` in one transaction (store, activity and the core's ingest all on it). */
  atomically<T>(fn: (tx: WebhookTx) => Promise<T>): Promise<T>;
  client: TikTokClient;
  clientKey: string;
  clientSecret: string;
  toleranceS: number;
  now: () => number;
  log: (line: string) => void;
}

/** Checks `TikTok-Signature: t=<unix s>,s=<hex>` on the raw body; null when valid, else why not. */
export function signatureProblem(
  raw: string,
  header: string | null | undefined,
  secret: string,
  nowMs: number,
  toleranceS: number,
): string | null {
  const parts = Object.fromEntries((header ?? '').split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  const ts = Number(parts.t);
  if (!parts.t || !parts.s || !Number.isInteger(ts)) return 'missing or malformed TikTok-Signature';
  if (Math.abs(nowMs / 1000 - ts) > toleranceS) return 'signature time outside the freshness window';
  const want = createHmac('sha256', secret).update(`${ts}.${raw}`).digest();
  const got = /^[0-9a-f]{64}$/i.test(parts.s) ? Buffer.from(parts.s, 'hex') : Buffer.alloc(0);
  return got.length === want.length && timingSafeEqual(got, want) ? null : 'signature does not match';
}

/** The inbox key: TikTok's id of what the event describes. */
function inboxKey(
  event: string,
  open_id: string,
  content: Record<string, unknown>,
  create_time: number,
): string | null {
  switch (event) {
    case 'im_receive_msg':
    case 'im_send_msg':
      return DmContent.safeParse(content).success ? `msg:${open_id}:${String(content.message_id)}` : null;
    case 'comment.update':
      return CommentContent.safeParse(content).success
        ? `comment:${open_id}:${String(content.comment_id)}:${String(content.comment_action)}`
        : null;
    case 'authorization.removed':
      return `auth:${open_id}:${create_time}`;
    default:
      return null;
  }
}

export class Webhooks {
  private running: Promise<void> | null = null;
  constructor(private readonly d: WebhookDeps) {}

  async receive(raw: string, signature: string | null | undefined): Promise<ReceiveResult> {
    const problem = signatureProblem(raw, signature, this.d.clientSecret, this.d.now(), this.d.toleranceS);
    if (problem) return { status: 401, reason: problem };
    let env: z.infer<typeof Envelope>;
    let content: Record<string, unknown>;
    try {
      env = Envelope.parse(parseTikTokJson(raw));
      content = parseTikTokJson(env.content) as Record<string, unknown>;
      if (!content || typeof content !== 'object') throw new Error('content is not an object');
    } catch (e) {
      this.d.log(`webhook ignored: malformed (${(e as Error).message.slice(0, 200)})`);
      return { status: 200 };
    }
    if (env.client_key !== this.d.clientKey) {
      this.d.log(`webhook ignored: client_key ${JSON.stringify(env.client_key.slice(0, 64))} is not this app's`);
      return { status: 200 };
    }
    const key = inboxKey(env.event, env.user_openid, content, env.create_time);
    if (!key) {
      this.d.log(`webhook ignored: ${JSON.stringify(env.event.slice(0, 64))} is unknown or malformed`);
      return { status: 200 };
    }
    await this.d.db
      .insert(t.webhookInbox)
      .values({ key, event: env.event, open_id: env.user_openid, content, received_at: this.d.now() })
      .onConflictDoNothing();
    return { status: 200 };
  }

  /** Processes what the inbox holds (one run at a time per instance; instances share the work by lease). */
  processPending(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async drain(): Promise<void> {
    for (let round = 0; round < 50; round++) {
      const rows = await this.claim();
      if (rows.length === 0) return;
      const fetched = await this.commentsOf(rows);
      try {
        await this.settle(rows, fetched);
      } catch (e) {
        this.d.log(`webhook batch of ${rows.length} failed (${(e as Error).message}); settling one at a time`);
        for (const row of rows) await this.settle([row], fetched).catch((err: Error) => this.failed(row, err));
      }
    }
  }

  private failed(row: InboxRow, e: Error): void {
    this.d.log(`webhook ${row.key} failed, will retry: ${e.message}`);
  }

  /** Up to BATCH unprocessed rows whose lease ran out (or never had one), leased to this instance, oldest first. */
  private async claim(): Promise<InboxRow[]> {
    const now = this.d.now();
    const claimable = this.d.db
      .select({ key: t.webhookInbox.key })
      .from(t.webhookInbox)
      .where(
        and(
          isNull(t.webhookInbox.processed_at),
          or(isNull(t.webhookInbox.lease_until), lte(t.webhookInbox.lease_until, now)),
        ),
      )
      .orderBy(asc(t.webhookInbox.received_at))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    const rows = await this.d.db
      .update(t.webhookInbox)
      .set({ lease_until: now + 30_000 })
      .where(inArray(t.webhookInbox.key, claimable))
      .returning();
    return rows.sort((a, b) => a.received_at - b.received_at);
  }

  /**
   * The rows' effects and their `processed_at` in one transaction (rows another instance settled meanwhile are
   * skipped): one commit, one lock query and one mark for the batch instead of one each.
   */
  private async settle(rows: InboxRow[], fetched: FetchedComments): Promise<void> {
    await this.d.atomically(async (tx) => {
      const keys = rows.map((r) => r.key);
      const open = new Set(
        (
          await tx.db
            .select({ key: t.webhookInbox.key })
            .from(t.webhookInbox)
            .where(and(inArray(t.webhookInbox.key, keys), isNull(t.webhookInbox.processed_at)))
            .orderBy(asc(t.webhookInbox.key))
            .for('update')
        ).map((r) => r.key),
      );
      const linked = await this.feedsOf(
        tx,
        rows.filter((r) => open.has(r.key)),
      );
      for (const row of rows) if (open.has(row.key)) await this.effects(tx, row, fetched, linked);
      if (open.size === 0) return;
      await tx.db
        .update(t.webhookInbox)
        .set({ processed_at: this.d.now(), lease_until: null })
        .where(inArray(t.webhookInbox.key, [...open]));
    });
  }

  /**
   * Which of the rows' accounts are linked here; their Gmail addresses' event feeds locked before any row is written
   * (the events of a batch are appended after its rows' other writes, so taking the feed last could wait in a circle
   * with another instance's batch holding the feed and wanting one of those rows).
   */
  private async feedsOf(tx: WebhookTx, rows: InboxRow[]): Promise<Set<string>> {
    const linked = new Set<string>();
    const gmails: string[] = [];
    for (const open_id of new Set(rows.map((r) => r.open_id))) {
      const links = await tx.store.links.find({ open_id });
      if (links.length > 0) linked.add(open_id);
      gmails.push(...links.map((l) => l.gmail));
    }
    await tx.store.lockFeeds(gmails);
    return linked;
  }

  /** One row's effects (`linked`: the accounts linked here). */
  private async effects(tx: WebhookTx, row: InboxRow, fetched: FetchedComments, linked: Set<string>) {
    const content = row.content as Record<string, unknown>;
    if (!linked.has(row.open_id))
      this.d.log(`webhook ${row.event} for an account that was never linked here: nothing stored`);
    else if (row.event === 'comment.update') {
      const comment = CommentContent.parse(content);
      await this.comment(tx, row.open_id, comment, fetched.get(`${row.open_id}:${comment.comment_id}`) ?? null);
    } else await this.apply(tx, row.event, row.open_id, content);
  }

  private async apply(tx: WebhookTx, event: string, open_id: string, content: Record<string, unknown>): Promise<void> {
    if (event === 'authorization.removed') {
      await tx.ingest.grantRevoked({ open_id });
      return;
    }
    const m = DmContent.parse(content);
    const incoming = m.to_user.id === open_id && m.from_user.id !== open_id;
    const peer = incoming
      ? { id: m.from_user.id, username: m.from ?? m.from_user.id }
      : { id: m.to_user.id, username: m.to ?? m.to_user.id };
    const known = await tx.activity.peerOf(open_id, m.conversation_id);
    if (!known || (known.username === known.id && peer.username !== peer.id)) {
      await tx.activity.addPeer(open_id, m.conversation_id, { ...peer, display_name: peer.username });
    }
    const text = m.text?.body ?? (m.type && m.type !== 'text' ? `[${m.type}]` : '');
    await tx.activity.addMessage(open_id, {
      message_id: m.message_id,
      conversation_id: m.conversation_id,
      direction: incoming ? 'in' : 'out',
      text,
      sent_at: m.timestamp,
    });
    if (incoming)
      await tx.ingest.messageReceived({ open_id, conversation_id: m.conversation_id, username: peer.username });
  }

  private async comment(
    tx: WebhookTx,
    open_id: string,
    c: z.infer<typeof CommentContent>,
    fetched: TikTokComment | null,
  ): Promise<void> {
    if (c.comment_action !== 'insert') {
      if (/delete|hidden|hide/i.test(c.comment_action))
        await tx.activity.setCommentStatus(open_id, c.comment_id, 'hidden');
      return;
    }
    const username = fetched?.username || c.unique_identifier || '';
    const parent = c.parent_comment_id && c.parent_comment_id !== '0' ? c.parent_comment_id : null;
    await tx.activity.addComment(open_id, {
      comment_id: c.comment_id,
      video_id: c.video_id,
      parent_comment_id: parent,
      username,
      display_name: fetched?.display_name || username,
      text: fetched?.text ?? c.text ?? '',
      created_at: fetched?.created_at || c.timestamp || this.d.now(),
      status: 'published',
    });
    const own = username !== '' && username === (await tx.activity.usernameOf(open_id));
    if (!own && username) await tx.ingest.commentReceived({ open_id, comment_id: c.comment_id, username });
  }

  /**
   * What new comments' events lack (the username), from TikTok's comment list: asked once per account and video of
   * the batch (the account's link read once), before its transaction (never a TikTok call inside one). Missing when
   * TikTok cannot tell now or the account has no active link.
   */
  private async commentsOf(rows: InboxRow[]): Promise<FetchedComments> {
    const fetched: FetchedComments = new Map();
    const videos = new Map<string, { open_id: string; video_id: string }>();
    for (const row of rows) {
      const c = row.event === 'comment.update' ? CommentContent.safeParse(row.content) : null;
      if (c?.success && c.data.comment_action === 'insert')
        videos.set(`${row.open_id}:${c.data.video_id}`, { open_id: row.open_id, video_id: c.data.video_id });
    }
    const tokens = new Map<string, string | null>();
    for (const { open_id, video_id } of videos.values()) {
      if (!tokens.has(open_id))
        tokens.set(
          open_id,
          (await this.d.store.links.find({ open_id, status: 'active' }))[0]?.grant.access_token ?? null,
        );
      const token = tokens.get(open_id);
      if (!token) continue;
      for (const x of await this.videoComments(token, open_id, video_id)) fetched.set(`${open_id}:${x.comment_id}`, x);
    }
    return fetched;
  }

  private async videoComments(token: string, open_id: string, video_id: string): Promise<TikTokComment[]> {
    try {
      return await this.d.client.comments(token, open_id, video_id);
    } catch (e) {
      this.d.log(
        `video ${video_id}: TikTok's comment list failed (${(e as Error).message}); using the events' own fields`,
      );
      return [];
    }
  }

  /** Unprocessed inbox rows (for health and tests). */
  async backlog(): Promise<number> {
    const r = await this.d.db
      .select({ n: sql<number>`count(*)::int` })
      .from(t.webhookInbox)
      .where(isNull(t.webhookInbox.processed_at));
    return Number(r[0]?.n ?? 0);
  }
}
