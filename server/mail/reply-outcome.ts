/**
 * The end of every reply by email, told to the person who wrote it. ./inbound.ts answers a refusal at once; a reply
 * whose TikTok answer was unknown is recorded `pending` and its send stays in the core's outbox. `followPending`
 * (with the server's background work) follows those to their end, so no emailed text is ever lost to its writer:
 * - the outbox sent it → `sent`, no email;
 * - the outbox gave up (`failed`: TikTok said it did not act) → the refusal email with why and the text, `failed`;
 * - the outbox parked it (its link stopped being active before TikTok could be asked: unlinked, or a sign-in is
 *   needed; ../../utils/service/outbox.ts) → one email saying it was not sent and what to do, with the text, `parked`;
 * - still in progress → nothing yet.
 * Cheap and safe with several instances: one query on the partial index `inbound_emails_pending` (joined to the send
 * by its unique key), a bounded batch, and each record taken by an atomic status change (`… WHERE status =
 * 'pending'`), so exactly one instance emails; an email that cannot be sent puts the record back to `pending`, and
 * the next round tries again.
 */
import { and, asc, eq, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Mailer, Store } from '../../utils/service/ports';
import type { Db } from '../db';
import * as t from '../db/schema';
import { refusalEmail, type Sender } from './notification-email';
import type { Notifier } from './notifier';
import type { MailThread, MailThreads } from './threads';

/** `inbound_emails.status` (see ../db/schema.ts). */
export type InboundRecordStatus = 'sending' | 'sent' | 'pending' | 'failed' | 'parked';

/** The reply email answered: its Message-ID, Subject and References (the answer goes in its thread). */
export type ReplyOrigin = NonNullable<typeof t.inboundEmails.$inferSelect.origin>;

interface AnswerDeps {
  mailer: Mailer;
  from: Sender;
  notifier: Pick<Notifier, 'headers'>;
  threads: MailThreads;
  log: (line: string) => void;
}

/** Emails the person that their reply was not sent, with why and their text, in the reply's thread; false when it could not be emailed. */
export async function answerReply(
  d: AnswerDeps,
  a: { thread: MailThread; gmail: string; origin: ReplyOrigin; reason: string; text: string },
): Promise<boolean> {
  const headers = d.notifier.headers(a.thread);
  const email = refusalEmail({
    to: a.gmail,
    from: d.from,
    subject: a.origin.subject,
    inReplyTo: a.origin.message_id,
    references: a.origin.references.slice(-10),
    headers,
    peer: null,
    reason: a.reason,
    text: a.text,
  });
  try {
    await d.mailer.send(email);
    await d.threads.threaded(a.thread.thread_id, headers.message_id);
    return true;
  } catch (e) {
    d.log(`inbound email: the answer to ${a.gmail} could not be sent: ${(e as Error).message}`);
    return false;
  }
}

/** Why the outbox gave up, by the API error code it recorded, in the person's words. */
const WHY_FAILED: Record<string, string> = {
  rate_limit_exceeded: 'TikTok asked to slow down and did not take it.',
  reply_window_expired: 'TikTok accepts replies only within 48 hours of their last message.',
  message_quota_exceeded: 'TikTok accepts only 10 replies until they answer.',
  text_too_long: 'The text is longer than TikTok accepts.',
  not_found: 'The conversation or comment is no longer on TikTok.',
  reauth_required: 'TikTok asks you to sign in again: sign in to TikTok in the TikTok Gmail Link extension.',
  scope_not_authorized: 'Your TikTok account did not allow TikTok Gmail Link to send this.',
  permission_denied: 'Your TikTok account did not allow TikTok Gmail Link to send this.',
};
const whyFailed = (code: string | null) =>
  WHY_FAILED[code ?? ''] ?? `TikTok did not take it (${code ?? 'no reason given'}).`;
const WHY_PARKED =
  'TikTok did not answer when it was sent, and before it could be checked and sent again your TikTok account ' +
  'stopped being linked (it was unlinked, or TikTok asks you to sign in again). Sign in to TikTok again in the ' +
  'TikTok Gmail Link extension, check the conversation on TikTok, then reply to this email again with your text.';

const BATCH = 20;

/** A pending record whose send has ended (sent, failed) or is parked, with what answering it needs. */
type Ended = Awaited<ReturnType<PendingReplies['ended']>>[number];

export class PendingReplies {
  constructor(private readonly d: AnswerDeps & { db: Db; store: Store }) {}

  /** One round: every pending reply (at most a batch) whose send has ended is settled, and emailed when it was not sent; returns how many. */
  async followPending(): Promise<number> {
    let settled = 0;
    for (const r of await this.ended()) if (await this.settle(r)) settled++;
    return settled;
  }

  private ended() {
    const i = t.inboundEmails;
    const s = t.sends;
    return this.d.db
      .select({
        key: i.key,
        link_id: i.link_id,
        thread_id: i.thread_id,
        origin: i.origin,
        send: { status: s.status, lease_until: s.lease_until, error: s.error, text: s.text, result_id: s.result_id },
      })
      .from(i)
      .innerJoin(s, and(eq(s.link_id, i.link_id), eq(s.idempotency_key, sql`'email:' || ${i.key}`)))
      .where(
        and(
          eq(i.status, 'pending'),
          or(inArray(s.status, ['sent', 'failed']), and(eq(s.status, 'sending'), isNull(s.lease_until))),
        ),
      )
      .orderBy(asc(i.received_at))
      .limit(BATCH);
  }

  private async settle(r: Ended): Promise<boolean> {
    if (r.send.status === 'sent') return this.take(r.key, 'sent', `sent later by the outbox (${r.send.result_id})`);
    const [status, reason] =
      r.send.status === 'failed' ? (['failed', whyFailed(r.send.error)] as const) : (['parked', WHY_PARKED] as const);
    if (!(await this.take(r.key, status, reason))) return false; // another instance took it
    const [thread, link] = await Promise.all([this.d.threads.byId(r.thread_id), this.d.store.links.get(r.link_id)]);
    if (!thread || !link) {
      this.d.log(`inbound email: ${r.key} ended ${status}, but its link or mail thread is gone: not emailed`);
      return true;
    }
    const origin = r.origin ?? {
      message_id: thread.last_message_id ?? '',
      subject: 'Your reply on TikTok',
      references: [],
    };
    const emailed = await answerReply(this.d, { thread, gmail: link.gmail, origin, reason, text: r.send.text });
    if (!emailed) await this.take(r.key, 'pending', 'its answer by email will be tried again', status);
    return emailed;
  }

  /** Moves the record from `from` to `status` atomically; false when it was not in `from` (another instance took it). */
  private async take(key: string, status: InboundRecordStatus, reason: string, from: InboundRecordStatus = 'pending') {
    const i = t.inboundEmails;
    const taken = await this.d.db
      .update(i)
      .set({ status, reason: reason.slice(0, 500) })
      .where(and(eq(i.key, key), eq(i.status, from)))
      .returning({ key: i.key });
    return taken.length > 0;
  }
}
