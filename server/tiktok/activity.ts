/**
 * What TikTok told the server about each account (tables `tt_*`): messages, the other person of each conversation,
 * comments. Written by webhooks and by every list the server fetches; read to answer what TikTok's API cannot
 * ("conversations with @user", "comments by @user") and to compute the reply window. Every write is keyed by
 * TikTok's own id (ON CONFLICT DO NOTHING), so a redelivered webhook or an echo of our own send is stored once.
 */
import { and, asc, desc, eq, gte } from 'drizzle-orm';
import type { Millis, TikTokComment, TikTokConversation, TikTokMessage } from '../../utils/service/ports';
import type { Db } from '../db';
import * as t from '../db/schema';

export interface Peer {
  id: string;
  username: string;
  display_name: string;
}

export class Activity {
  constructor(private readonly db: Db) {}

  /** Stores a message; false when TikTok's message id was already stored (redelivery, echo of our send). */
  async addMessage(open_id: string, m: TikTokMessage): Promise<boolean> {
    const rows = await this.db
      .insert(t.ttMessages)
      .values({ open_id, ...m })
      .onConflictDoNothing()
      .returning({ id: t.ttMessages.message_id });
    return rows.length > 0;
  }

  async addPeer(open_id: string, conversation_id: string, peer: Peer): Promise<void> {
    const row = {
      open_id,
      conversation_id,
      peer_id: peer.id,
      peer_username: peer.username,
      peer_display_name: peer.display_name,
    };
    await this.db
      .insert(t.ttConversations)
      .values(row)
      .onConflictDoUpdate({ target: [t.ttConversations.open_id, t.ttConversations.conversation_id], set: row });
  }

  async peerOf(open_id: string, conversation_id: string): Promise<Peer | null> {
    const r = (
      await this.db
        .select()
        .from(t.ttConversations)
        .where(and(eq(t.ttConversations.open_id, open_id), eq(t.ttConversations.conversation_id, conversation_id)))
    )[0];
    return r ? { id: r.peer_id, username: r.peer_username, display_name: r.peer_display_name } : null;
  }

  /** Oldest first. */
  async messages(open_id: string, conversation_id: string): Promise<TikTokMessage[]> {
    const rows = await this.db
      .select()
      .from(t.ttMessages)
      .where(and(eq(t.ttMessages.open_id, open_id), eq(t.ttMessages.conversation_id, conversation_id)))
      .orderBy(asc(t.ttMessages.sent_at));
    return rows.map(({ open_id: _, ...m }) => ({ ...m, direction: m.direction as TikTokMessage['direction'] }));
  }

  async ownMessageSince(
    open_id: string,
    conversation_id: string,
    text: string,
    since: Millis,
  ): Promise<TikTokMessage | null> {
    const rows = await this.db
      .select()
      .from(t.ttMessages)
      .where(
        and(
          eq(t.ttMessages.open_id, open_id),
          eq(t.ttMessages.conversation_id, conversation_id),
          eq(t.ttMessages.direction, 'out'),
          eq(t.ttMessages.text, text),
          gte(t.ttMessages.sent_at, since),
        ),
      )
      .limit(1);
    const m = rows[0];
    return m ? { message_id: m.message_id, conversation_id, direction: 'out', text: m.text, sent_at: m.sent_at } : null;
  }

  /** The conversation as the service shows it, with the reply window's inputs computed from stored messages. */
  async conversation(open_id: string, conversation_id: string): Promise<TikTokConversation | null> {
    const peer = await this.peerOf(open_id, conversation_id);
    if (!peer) return null;
    const msgs = await this.messages(open_id, conversation_id);
    const lastIn = msgs.filter((m) => m.direction === 'in').at(-1)?.sent_at ?? null;
    return {
      conversation_id,
      participant: { username: peer.username, display_name: peer.display_name, avatar_url: '' },
      last_message_at: msgs.at(-1)?.sent_at ?? 0,
      last_in_at: lastIn,
      sent_since_last_in: msgs.filter((m) => m.direction === 'out' && (lastIn === null || m.sent_at > lastIn)).length,
    };
  }

  async conversations(open_id: string, username?: string): Promise<TikTokConversation[]> {
    const rows = await this.db
      .select({ id: t.ttConversations.conversation_id })
      .from(t.ttConversations)
      .where(
        and(
          eq(t.ttConversations.open_id, open_id),
          username === undefined ? undefined : eq(t.ttConversations.peer_username, username),
        ),
      );
    const out = (await Promise.all(rows.map((r) => this.conversation(open_id, r.id)))).filter(
      (c): c is TikTokConversation => c !== null,
    );
    return out.sort((a, b) => b.last_message_at - a.last_message_at);
  }

  async addComment(open_id: string, c: TikTokComment): Promise<boolean> {
    const rows = await this.db
      .insert(t.ttComments)
      .values({ open_id, ...c })
      .onConflictDoNothing()
      .returning({ id: t.ttComments.comment_id });
    return rows.length > 0;
  }

  async setCommentStatus(open_id: string, comment_id: string, status: TikTokComment['status']): Promise<void> {
    await this.db
      .update(t.ttComments)
      .set({ status })
      .where(and(eq(t.ttComments.open_id, open_id), eq(t.ttComments.comment_id, comment_id)));
  }

  async comment(open_id: string, comment_id: string): Promise<TikTokComment | null> {
    const r = (
      await this.db
        .select()
        .from(t.ttComments)
        .where(and(eq(t.ttComments.open_id, open_id), eq(t.ttComments.comment_id, comment_id)))
    )[0];
    return r ? toComment(r) : null;
  }

  /** Newest first. */
  async comments(open_id: string, video_id?: string): Promise<TikTokComment[]> {
    const rows = await this.db
      .select()
      .from(t.ttComments)
      .where(
        and(
          eq(t.ttComments.open_id, open_id),
          video_id === undefined ? undefined : eq(t.ttComments.video_id, video_id),
        ),
      )
      .orderBy(desc(t.ttComments.created_at));
    return rows.map(toComment);
  }

  async usernameOf(open_id: string): Promise<string | null> {
    return (
      (await this.db.select({ u: t.links.username }).from(t.links).where(eq(t.links.open_id, open_id)).limit(1))[0]
        ?.u ?? null
    );
  }
}

function toComment({ open_id: _, ...r }: typeof t.ttComments.$inferSelect): TikTokComment {
  return { ...r, status: r.status as TikTokComment['status'] };
}
