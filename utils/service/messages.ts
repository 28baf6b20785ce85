/**
 * Direct messages of a linked account: conversations (optionally with one user), their messages (reading marks the
 * conversation read), and sending a reply through the outbox. The reply window is the service's to compute (real
 * TikTok does not report it): 48 h from the other user's last message, at most 10 replies until they answer;
 * the service refuses a new reply outside it before asking TikTok (not the retry of one that may already have
 * reached TikTok: the outbox looks for that first), and TikTok's own refusal maps to the same codes.
 */
import { MESSAGE_MAX, SendMessageBody, tiktokLength, type ReplyWindow } from '../api/schemas';
import { type Ctx, iso, paginate, param, parseBody, route, type Route } from './context';
import { invalidField, ServiceError } from './errors';
import { withGrant } from './grants';
import { ownedLink, requireCapability } from './links';
import { sendOnce } from './outbox';
import type { LinkRecord, Millis, TikTokConversation, TikTokMessage } from './ports';

export const REPLY_WINDOW_MS = 48 * 3_600_000;
export const REPLIES_PER_WINDOW = 10;

export function replyWindow(
  c: Pick<TikTokConversation, 'last_in_at' | 'sent_since_last_in'>,
  now: Millis,
): ReplyWindow {
  const expires = (c.last_in_at ?? 0) + REPLY_WINDOW_MS;
  const sent = c.last_in_at === null ? REPLIES_PER_WINDOW : c.sent_since_last_in;
  return {
    state: now < expires ? 'open' : 'expired',
    expires_at: iso(expires),
    messages_remaining: Math.max(0, REPLIES_PER_WINDOW - sent),
  };
}

export const messageView = (m: TikTokMessage) => ({
  message_id: m.message_id,
  conversation_id: m.conversation_id,
  direction: m.direction,
  text: m.text,
  sent_at: iso(m.sent_at),
});

/** The text, or `invalid_params` (empty) / `text_too_long` (more than `max` characters as TikTok counts them). */
export function checkText(text: string, max: number, what: string): string {
  if (!text.trim()) throw invalidField('text', `The ${what} is empty.`);
  const length = tiktokLength(text);
  if (length > max)
    throw new ServiceError(
      'text_too_long',
      `TikTok allows at most ${max} characters in a ${what}; this one has ${length}.`,
      { details: { max, length } },
    );
  return text;
}

async function usableLink(ctx: Ctx, scope: 'messages_read' | 'messages_send'): Promise<LinkRecord> {
  const link = await ownedLink(ctx, param(ctx, 0), { usable: true });
  requireCapability(ctx.tiktok, link, 'messages', ctx.tiktok.scopes[scope]);
  return link;
}

async function listConversations(ctx: Ctx) {
  const link = await usableLink(ctx, 'messages_read');
  const username = ctx.url.searchParams.get('username')?.replace(/^@/, '') || undefined;
  const found = await withGrant(ctx, link, (g) => ctx.tiktok.conversations(g, { ...(username && { username }) }));
  const unread = new Map((await ctx.store.unread.list([link.tiktok.open_id], 'messages')).map((u) => [u.ref, u.count]));
  const items = found
    .filter((c) => !username || c.participant.username.toLowerCase() === username.toLowerCase())
    .sort((a, b) => b.last_message_at - a.last_message_at)
    .map((c) => ({
      conversation_id: c.conversation_id,
      participant: { ...c.participant },
      last_message_at: iso(c.last_message_at),
      unread_count: unread.get(c.conversation_id) ?? 0,
      reply_window: replyWindow(c, ctx.now),
    }));
  return paginate(ctx, items);
}

async function ownedConversation(ctx: Ctx, scope: 'messages_read' | 'messages_send') {
  const link = await usableLink(ctx, scope);
  return { link, convo: await conversationOf(ctx, link, param(ctx, 1)) };
}

async function conversationOf(ctx: Ctx, link: LinkRecord, conversationId: string): Promise<TikTokConversation> {
  const convo = await withGrant(ctx, link, (g) => ctx.tiktok.conversation(g, conversationId));
  if (!convo) throw new ServiceError('not_found', 'Unknown conversation.', { details: { field: 'conversation_id' } });
  return convo;
}

async function listMessages(ctx: Ctx) {
  const { link, convo } = await ownedConversation(ctx, 'messages_read');
  const page = paginate(
    ctx,
    [...(await withGrant(ctx, link, (g) => ctx.tiktok.messages(g, convo.conversation_id)))].reverse().map(messageView),
  );
  await ctx.store.unread.clear(link.tiktok.open_id, 'messages', convo.conversation_id); // reading a conversation marks it read
  return page;
}

async function sendMessage(ctx: Ctx) {
  const { link, convo } = await ownedConversation(ctx, 'messages_send');
  return sendInConversation(ctx, link, convo, parseBody(ctx, SendMessageBody).text);
}

/** The conversation of a link that can send messages (the link's ownership was checked by the caller), or `not_found`. */
export async function sendableConversation(
  ctx: Ctx,
  link: LinkRecord,
  conversationId: string,
): Promise<TikTokConversation> {
  requireCapability(ctx.tiktok, link, 'messages', ctx.tiktok.scopes.messages_send);
  return conversationOf(ctx, link, conversationId);
}

/** TikTok's rules for a new reply in the conversation: its 48-hour window is open and fewer than 10 replies went unanswered. */
function checkWindow(convo: TikTokConversation, now: Millis): void {
  const window = replyWindow(convo, now);
  const who = convo.participant.username;
  if (window.state === 'expired')
    throw new ServiceError('reply_window_expired', `You can only reply within 48 hours of @${who}'s last message.`, {
      details: { expires_at: window.expires_at },
    });
  if (window.messages_remaining === 0)
    throw new ServiceError(
      'message_quota_exceeded',
      `You have sent ${REPLIES_PER_WINDOW} messages without an answer from @${who}.`,
      { details: { limit: REPLIES_PER_WINDOW } },
    );
}

/**
 * A reply in the conversation under TikTok's rules (length, 48-hour window, 10 replies), sent once for
 * `ctx.idempotencyKey`. The window is checked only for a new send (a retry of one that may have reached TikTok is
 * looked for first), and once it is sent the answer is the message: when reading the window after it fails, the
 * window is estimated instead.
 */
export async function sendInConversation(ctx: Ctx, link: LinkRecord, convo: TikTokConversation, raw: string) {
  const text = checkText(raw, MESSAGE_MAX, 'message');
  const what = { kind: 'message' as const, target_id: convo.conversation_id, video_id: null, text };
  const sent = (await sendOnce(ctx, link, what, () => checkWindow(convo, ctx.now))) as TikTokMessage;
  await ctx.store.unread.clear(link.tiktok.open_id, 'messages', convo.conversation_id);
  const after = await withGrant(ctx, link, (g) => ctx.tiktok.conversation(g, convo.conversation_id)).catch(() => null);
  return {
    ...messageView(sent),
    reply_window: replyWindow(
      after ?? { last_in_at: convo.last_in_at, sent_since_last_in: convo.sent_since_last_in + 1 },
      ctx.now,
    ),
  };
}

export const messageRoutes: Route[] = [
  route('GET', '/v1/links/:id/conversations', listConversations),
  route('GET', '/v1/links/:id/conversations/:cid/messages', listMessages),
  route('POST', '/v1/links/:id/conversations/:cid/messages', sendMessage),
];
