/**
 * Notification emails: what TikTok tells the server (the core's `ingest`, wrapped here) becomes pending activity on
 * a mail thread when the link's settings want that kind (utils/service/notifications.ts), and `flush()` (the
 * server's background work) emails each thread whose burst went quiet: `NOTIFY_DELAY_S` after its last activity, at
 * most ten minutes after its first, so ten messages in a row are one email. The settings are read again at send
 * time (turned off meanwhile: nothing is sent). One-click unsubscribe turns that kind off for the link.
 */
import { randomBytes } from 'node:crypto';
import type { NotificationKind } from '../../utils/api/schemas';
import {
  changeNotifications,
  notificationKindOf,
  notificationSettings,
  type EventView,
  type Ingest,
  type Service,
} from '../../utils/service';
import type { LinkRecord, Mailer, Store } from '../../utils/service/ports';
import { notificationEmail, type Activity, type Sender, type ThreadHeaders } from './notification-email';
import { readReplyToken, replyAddress, replyToken } from './reply-token';
import type { Db } from '../db';
import { MailThreads, type MailThread } from './threads';

/** Where activity is queued: the server's database, or the transaction its events are written in. */
type Queue = { threads: MailThreads; store: Store };

interface NotifierDeps {
  threads: MailThreads;
  store: Store;
  service: () => Service;
  mailer: Mailer;
  from: Sender;
  replyKey: Buffer;
  /** Where replies go (null: no reply by email, no Reply-To). */
  replyDomain: string | null;
  publicUrl: () => string;
  delayMs: number;
  now: () => number;
  log: (line: string) => void;
}

const MAX_DELAY_MS = 10 * 60_000;
const LAST_MESSAGES = 5;
const RETRY_MS = 60_000;
/** Kinds whose emails can be answered by email. */
const REPLYABLE = new Set<NotificationKind>(['messages', 'comments', 'mentions']);

export class Notifier {
  constructor(private readonly d: NotifierDeps) {}

  /**
   * The core's ingest, each event also queued for email where the link wants its kind; `tx`: the deployment's
   * transaction the events are written in (the queueing commits with them).
   */
  ingest(inner: Ingest, tx?: { db: Db; store: Store }): Ingest {
    const on: Queue = tx ? { threads: new MailThreads(tx.db), store: tx.store } : this.d;
    const heard = (
      event: EventView | null,
      target_id: string,
      count: number,
      item: Record<string, unknown>,
      mention = false,
    ) => this.heard(on, event, target_id, count, item, mention);
    return {
      ...inner,
      messageReceived: async (a) =>
        heard(await inner.messageReceived(a), a.conversation_id, 1, { username: a.username }),
      commentReceived: async (a) =>
        heard(await inner.commentReceived(a), a.comment_id, 1, { username: a.username }, a.mention),
      followerNew: async (a) =>
        heard(await inner.followerNew(a), 'followers', a.count ?? 1, a.username ? { username: a.username } : {}),
      authorizationRequested: async (a) => {
        const r = await inner.authorizationRequested(a);
        await heard(r.event, r.authorization.authorization_id, 1, { summary: r.event?.summary ?? '' });
        return r;
      },
      authorizationDecided: async (a) => {
        const auth = await inner.authorizationDecided(a);
        const link = (await on.store.links.find({ username: auth.tiktok.username, status: 'active' }))[0];
        const summary = `${auth.advertiser.name}'s Ads authorization for @${auth.tiktok.username} is ${auth.status}`;
        if (link) await this.queue(on, link, 'ads', auth.authorization_id, 1, { summary });
        return auth;
      },
    };
  }

  private async heard(
    on: Queue,
    event: EventView | null,
    target_id: string,
    count: number,
    item: Record<string, unknown>,
    mention: boolean,
  ): Promise<EventView | null> {
    const kind = event && notificationKindOf(event.type, mention);
    if (!event || !kind) return event;
    const link = await on.store.links.get(event.link_id);
    if (link) await this.queue(on, link, kind, target_id, count, item);
    return event;
  }

  private async queue(
    on: Queue,
    link: LinkRecord,
    kind: NotificationKind,
    target_id: string,
    count: number,
    item: Record<string, unknown>,
  ): Promise<void> {
    if (!notificationSettings(link)[kind]) return;
    await on.threads.enqueue({
      link_id: link.link_id,
      kind,
      target_id,
      count,
      item,
      now: this.d.now(),
      delayMs: this.d.delayMs,
      maxDelayMs: Math.max(MAX_DELAY_MS, this.d.delayMs),
    });
  }

  /** Emails every due batch (bounded per call); returns how many emails were sent. */
  async flush(limit = 20): Promise<number> {
    let sent = 0;
    for (const thread of await this.d.threads.claimDue(this.d.now(), limit)) {
      try {
        if (await this.deliver(thread)) sent++;
      } catch (e) {
        this.d.log(`notification email for thread ${thread.thread_id} failed, will retry: ${(e as Error).message}`);
        await this.d.threads.retryLater(thread.thread_id, this.d.now(), RETRY_MS);
      }
    }
    return sent;
  }

  private async deliver(thread: MailThread): Promise<boolean> {
    const link = await this.d.store.links.get(thread.link_id);
    const activity =
      link && link.status === 'active' && notificationSettings(link)[thread.kind] ? await this.activity(thread) : null;
    if (!link || !activity) {
      await this.d.threads.settle(thread, null, this.d.now()); // unlinked, turned off, or nothing to show: dropped
      return false;
    }
    const headers = this.headers(thread);
    await this.d.mailer.send(
      notificationEmail({ to: link.gmail, owner: link.tiktok.username, from: this.d.from, activity, headers }),
    );
    await this.d.threads.settle(thread, headers.message_id, this.d.now());
    return true;
  }

  private async activity(thread: MailThread): Promise<Activity | null> {
    const items = thread.pending_items;
    switch (thread.kind) {
      case 'messages': {
        const tail = await this.d
          .service()
          .byEmail.conversation(
            thread.link_id,
            thread.target_id,
            Math.max(LAST_MESSAGES, Math.min(thread.pending, 20)),
          );
        return tail && { kind: 'messages', ...tail, count: thread.pending };
      }
      case 'comments':
      case 'mentions': {
        const comment = await this.d.service().byEmail.comment(thread.link_id, thread.target_id);
        return comment && { kind: thread.kind, comment };
      }
      case 'followers':
        return {
          kind: 'followers',
          usernames: items.map((i) => i.username).filter((u): u is string => typeof u === 'string'),
          count: thread.pending,
        };
      case 'ads':
        return { kind: 'ads', summaries: items.map((i) => String(i.summary ?? '')).filter(Boolean) };
    }
  }

  /** The next email's headers on the thread. */
  headers(thread: Pick<MailThread, 'thread_id' | 'kind' | 'root_message_id' | 'last_message_id'>): ThreadHeaders {
    const domain = this.d.from.email.split('@')[1] ?? 'localhost';
    return {
      message_id: `<${randomBytes(9).toString('hex')}.${thread.thread_id}@${domain}>`,
      root: thread.root_message_id,
      last: thread.last_message_id,
      reply_to:
        this.d.replyDomain && REPLYABLE.has(thread.kind)
          ? replyAddress(this.d.replyKey, thread.thread_id, this.d.replyDomain)
          : null,
      unsubscribe: `${this.d.publicUrl()}/mail/unsubscribe/${replyToken(this.d.replyKey, thread.thread_id)}`,
    };
  }

  /** One-click unsubscribe (RFC 8058): the thread's kind off for its link; null for a bad token or a link that is gone. */
  async unsubscribe(token: string): Promise<{ link: LinkRecord; kind: NotificationKind } | null> {
    const id = readReplyToken(this.d.replyKey, token);
    const thread = id ? await this.d.threads.byId(id) : null;
    if (!thread) return null;
    const link = await changeNotifications(this.d.store, thread.link_id, { [thread.kind]: false });
    return link && { link, kind: thread.kind };
  }
}
