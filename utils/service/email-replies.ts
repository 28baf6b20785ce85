/**
 * Replies by email (API 1.1 "Notification emails and replies by email"), the core's part: once a deployment has
 * authenticated an inbound reply (its signed token names the link and the conversation or comment, its From is the
 * link's Gmail address, it passed DMARC), its text is sent under exactly the API's rules (capabilities, the 48-hour
 * window, 10 replies, 150 characters for comments) through the same outbox, keyed by the email (a redelivered email
 * finds its send). And what a notification email shows: the last messages of a conversation, a comment.
 */
import { commentOf, replyToComment } from './comments';
import type { Ctx } from './context';
import { ServiceError } from './errors';
import { withGrant } from './grants';
import { requireCapability } from './links';
import { sendableConversation, sendInConversation } from './messages';
import type { LinkRecord, TikTokComment, TikTokConversation, TikTokMessage } from './ports';

export type EmailReplyTarget =
  { kind: 'message'; conversation_id: string } | { kind: 'comment_reply'; comment_id: string };

export interface EmailReply {
  link_id: string;
  target: EmailReplyTarget;
  text: string;
  /** The outbox key of this email (from its Message-ID): the same email never sends twice. */
  key: string;
}

async function activeLink(ctx: Ctx, link_id: string): Promise<LinkRecord> {
  const link = await ctx.store.links.get(link_id);
  if (!link || link.status === 'revoked')
    throw new ServiceError('not_found', 'This TikTok account is no longer linked to your Gmail address.');
  if (link.status === 'reauth_required')
    throw new ServiceError(
      'reauth_required',
      `TikTok needs you to sign in to @${link.tiktok.username} again (in the extension's popup).`,
    );
  return link;
}

/** Sends the reply's text once; refusals are the API's `ServiceError`s (their messages say why in plain words). */
export async function replyByEmail(ctx: Ctx, r: EmailReply): Promise<unknown> {
  const link = await activeLink(ctx, r.link_id);
  const keyed: Ctx = { ...ctx, idempotencyKey: r.key };
  if (r.target.kind === 'message')
    return sendInConversation(keyed, link, await sendableConversation(keyed, link, r.target.conversation_id), r.text);
  requireCapability(ctx.tiktok, link, 'comments', ctx.tiktok.scopes.comments_reply);
  return replyToComment(keyed, link, await commentOf(keyed, link, r.target.comment_id), r.text);
}

/** The conversation and its last `last` messages (oldest first), or null when TikTok does not know it. */
export async function conversationTail(
  ctx: Ctx,
  link_id: string,
  conversation_id: string,
  last: number,
): Promise<{ conversation: TikTokConversation; messages: TikTokMessage[] } | null> {
  const link = await activeLink(ctx, link_id);
  return withGrant(ctx, link, async (g) => {
    const conversation = await ctx.tiktok.conversation(g, conversation_id);
    return conversation
      ? { conversation, messages: (await ctx.tiktok.messages(g, conversation_id)).slice(-last) }
      : null;
  });
}

/** A comment on the link's videos, or null. */
export async function commentFor(ctx: Ctx, link_id: string, comment_id: string): Promise<TikTokComment | null> {
  const link = await activeLink(ctx, link_id);
  return withGrant(ctx, link, (g) => ctx.tiktok.comment(g, comment_id));
}
