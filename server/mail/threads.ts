/**
 * The mail threads table (server/db/schema.ts `mail_threads`) in SQL: queue activity on a thread (one upsert, so
 * concurrent webhooks add up), claim the threads whose batch is due with a lease (`FOR UPDATE SKIP LOCKED`, like the
 * sends: two instances never email the same batch), settle a sent batch (what arrived meanwhile stays pending), and
 * find a thread by the id a reply token carries.
 */
import { and, eq, gt, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import type { NotificationKind } from '../../utils/api/schemas';
import type { Db } from '../db';
import * as t from '../db/schema';
import { newThreadId } from './reply-token';

export type MailThread = typeof t.mailThreads.$inferSelect & { kind: NotificationKind };

/** At most this many items wait on one thread (a flood of followers is counted, not listed). */
const MAX_ITEMS = 20;
const LEASE_MS = 60_000;

export class MailThreads {
  constructor(private readonly db: Db) {}

  async byId(thread_id: string): Promise<MailThread | null> {
    return ((await this.db.select().from(t.mailThreads).where(eq(t.mailThreads.thread_id, thread_id)))[0] ??
      null) as MailThread | null;
  }

  /** Adds `count` to what waits on the thread; due after `delayMs` of quiet, and never later than `maxDelayMs` after the first. */
  async enqueue(a: {
    link_id: string;
    kind: NotificationKind;
    target_id: string;
    count: number;
    item: Record<string, unknown>;
    now: number;
    delayMs: number;
    maxDelayMs: number;
  }): Promise<void> {
    const first = sql`coalesce(${t.mailThreads.first_pending_at}, ${a.now})`;
    await this.db
      .insert(t.mailThreads)
      .values({
        thread_id: newThreadId(),
        link_id: a.link_id,
        kind: a.kind,
        target_id: a.target_id,
        pending: a.count,
        pending_items: [a.item],
        first_pending_at: a.now,
        due_at: a.now + a.delayMs,
      })
      .onConflictDoUpdate({
        target: [t.mailThreads.link_id, t.mailThreads.kind, t.mailThreads.target_id],
        set: {
          pending: sql`${t.mailThreads.pending} + ${a.count}`,
          pending_items: sql`case when jsonb_array_length(${t.mailThreads.pending_items}) < ${MAX_ITEMS} then ${t.mailThreads.pending_items} || ${JSON.stringify([a.item])}::jsonb else ${t.mailThreads.pending_items} end`,
          first_pending_at: first,
          due_at: sql`least(${first} + ${a.maxDelayMs}, ${a.now + a.delayMs})`,
        },
      });
  }

  /** Takes up to `limit` threads whose batch is due and not held by another instance. */
  async claimDue(now: number, limit: number): Promise<MailThread[]> {
    const due = this.db
      .select({ id: t.mailThreads.thread_id })
      .from(t.mailThreads)
      .where(
        and(
          gt(t.mailThreads.pending, 0),
          lte(t.mailThreads.due_at, now),
          or(isNull(t.mailThreads.lease_until), lte(t.mailThreads.lease_until, now)),
        ),
      )
      .limit(limit)
      .for('update', { skipLocked: true });
    return (await this.db
      .update(t.mailThreads)
      .set({ lease_until: now + LEASE_MS })
      .where(inArray(t.mailThreads.thread_id, due))
      .returning()) as MailThread[];
  }

  /** The claimed batch is done (emailed, or dropped when `message_id` is null): what arrived since stays pending. */
  async settle(claimed: MailThread, message_id: string | null, now: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      const row = (
        await tx.select().from(t.mailThreads).where(eq(t.mailThreads.thread_id, claimed.thread_id)).for('update')
      )[0];
      if (!row) return;
      const pending = Math.max(0, row.pending - claimed.pending);
      await tx
        .update(t.mailThreads)
        .set({
          pending,
          pending_items: row.pending_items.slice(claimed.pending_items.length),
          first_pending_at: pending > 0 ? now : null,
          due_at: pending > 0 ? row.due_at : null,
          lease_until: null,
          ...(message_id && {
            root_message_id: row.root_message_id ?? message_id,
            last_message_id: message_id,
            emails: row.emails + 1,
          }),
        })
        .where(eq(t.mailThreads.thread_id, claimed.thread_id));
    });
  }

  /** A failed attempt: retried after `retryMs`. */
  async retryLater(thread_id: string, now: number, retryMs: number): Promise<void> {
    await this.db
      .update(t.mailThreads)
      .set({ lease_until: null, due_at: now + retryMs })
      .where(eq(t.mailThreads.thread_id, thread_id));
  }

  /** Records an email sent on the thread outside a batch (a refusal's answer), so later emails thread after it. */
  async threaded(thread_id: string, message_id: string): Promise<void> {
    await this.db
      .update(t.mailThreads)
      .set({
        last_message_id: message_id,
        root_message_id: sql`coalesce(${t.mailThreads.root_message_id}, ${message_id})`,
        emails: sql`${t.mailThreads.emails} + 1`,
      })
      .where(eq(t.mailThreads.thread_id, thread_id));
  }
}
