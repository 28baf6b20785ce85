/**
 * Activity on a linked TikTok account: conversations with TikTok's reply rules (48 h from the other user's last
 * message, at most 10 replies without an answer, 6000 characters), comments on the account's own videos (replies
 * ≤ 150 graphemes; a reply with a URL goes to `pending_review`) and follows.
 */
import { COMMENT_MAX, FollowBody, isValidUsername, MESSAGE_MAX, ReplyCommentBody, SendMessageBody, tiktokLength, type ReplyWindow } from '../api/schemas';
import { SandboxError, paginate, param, parseBody, route, type Ctx, type Route } from './context';
import { ownedLink, requireScope } from './linking';
import { iso, nextId, numericId, type CommentRec, type ConversationRec, type SandboxState } from './state';

export const REPLY_WINDOW_MS = 48 * 3_600_000;
export const REPLIES_PER_WINDOW = 10;
const URL_RE = /(https?:\/\/|www\.)\S+|\b[a-z0-9-]+\.(com|net|org|io|co|ly|me)\b/i;

export function replyWindow(c: ConversationRec, now: number): ReplyWindow {
  let lastIn = -1;
  c.messages.forEach((m, i) => {
    if (m.direction === 'in') lastIn = i;
  });
  const lastInAt = lastIn >= 0 ? c.messages[lastIn]!.sent_at : 0;
  const expires = lastInAt + REPLY_WINDOW_MS;
  const sent = lastIn >= 0 ? c.messages.slice(lastIn + 1).filter((m) => m.direction === 'out').length : REPLIES_PER_WINDOW;
  return { state: now < expires ? 'open' : 'expired', expires_at: iso(expires), messages_remaining: Math.max(0, REPLIES_PER_WINDOW - sent) };
}

export function conversationView(state: SandboxState, c: ConversationRec, now: number) {
  const p = state.users[c.participant]!;
  const last = c.messages[c.messages.length - 1];
  return {
    conversation_id: c.conversation_id,
    participant: { username: p.username, display_name: p.display_name, avatar_url: p.avatar_url },
    last_message_at: iso(last?.sent_at ?? now),
    unread_count: c.unread_count,
    reply_window: replyWindow(c, now),
  };
}

export const messageView = (c: ConversationRec, m: ConversationRec['messages'][number]) => ({
  message_id: m.message_id,
  conversation_id: c.conversation_id,
  direction: m.direction,
  text: m.text,
  sent_at: iso(m.sent_at),
});

export function commentView(state: SandboxState, c: CommentRec) {
  return {
    comment_id: c.comment_id,
    video_id: c.video_id,
    parent_comment_id: c.parent_comment_id,
    username: c.username,
    display_name: state.users[c.username]?.display_name ?? c.username,
    text: c.text,
    created_at: iso(c.created_at),
    status: c.status,
  };
}

/** The conversation between a linked account and another user, created when the other user first writes. */
export function conversationWith(state: SandboxState, owner: string, participant: string): ConversationRec {
  const found = Object.values(state.conversations).find((c) => c.owner === owner && c.participant === participant);
  if (found) return found;
  const c: ConversationRec = { conversation_id: nextId(state, 'cnv'), owner, participant, unread_count: 0, messages: [] };
  state.conversations[c.conversation_id] = c;
  return c;
}

function listConversations(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  requireScope(link, 'direct_message.read');
  const username = ctx.url.searchParams.get('username')?.replace(/^@/, '') || null;
  const items = Object.values(ctx.state.conversations)
    .filter((c) => c.owner === link.username && (username === null || c.participant.toLowerCase() === username.toLowerCase()))
    .map((c) => conversationView(ctx.state, c, ctx.now))
    .sort((a, b) => b.last_message_at.localeCompare(a.last_message_at));
  return paginate(ctx, items);
}

function ownedConversation(ctx: Ctx, scope: string): { link: ReturnType<typeof ownedLink>; convo: ConversationRec } {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  requireScope(link, scope);
  const convo = ctx.state.conversations[param(ctx, 1)];
  if (!convo || convo.owner !== link.username) throw new SandboxError('not_found', 'Unknown conversation.', { details: { field: 'conversation_id' } });
  return { link, convo };
}

function listMessages(ctx: Ctx) {
  const { convo } = ownedConversation(ctx, 'direct_message.read');
  if (convo.unread_count) {
    convo.unread_count = 0; // reading a conversation marks it read
    ctx.dirty = true;
  }
  return paginate(ctx, [...convo.messages].reverse().map((m) => messageView(convo, m)));
}

function checkText(text: string, max: number, what: string): string {
  if (!text.trim()) throw new SandboxError('invalid_params', `The ${what} is empty.`, { details: { field: 'text' } });
  const length = tiktokLength(text);
  if (length > max) throw new SandboxError('text_too_long', `TikTok allows at most ${max} characters in a ${what}; this one has ${length}.`, { details: { max, length } });
  return text;
}

function sendMessage(ctx: Ctx) {
  const { convo } = ownedConversation(ctx, 'direct_message.send');
  const text = checkText(parseBody(ctx, SendMessageBody).text, MESSAGE_MAX, 'message');
  const window = replyWindow(convo, ctx.now);
  if (window.state === 'expired') {
    throw new SandboxError('reply_window_expired', `You can only reply within 48 hours of @${convo.participant}'s last message.`, { details: { expires_at: window.expires_at } });
  }
  if (window.messages_remaining === 0) {
    throw new SandboxError('message_quota_exceeded', `You have sent ${REPLIES_PER_WINDOW} messages without an answer from @${convo.participant}.`, { details: { limit: REPLIES_PER_WINDOW } });
  }
  const m = { message_id: nextId(ctx.state, 'msg'), direction: 'out' as const, text, sent_at: ctx.now };
  convo.messages.push(m);
  convo.unread_count = 0;
  return { ...messageView(convo, m), reply_window: replyWindow(convo, ctx.now) };
}

function listComments(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  requireScope(link, 'comment.list');
  const username = ctx.url.searchParams.get('username')?.replace(/^@/, '').toLowerCase() || null;
  const video = ctx.url.searchParams.get('video_id') || null;
  const onMyVideos = Object.values(ctx.state.comments).filter((c) => c.owner === link.username && (video === null || c.video_id === video));
  const top = onMyVideos.filter((c) => c.parent_comment_id === null && (username === null || c.username.toLowerCase() === username));
  const ids = new Set(top.map((c) => c.comment_id));
  const picked = onMyVideos.filter((c) => ids.has(c.comment_id) || (c.parent_comment_id !== null && ids.has(c.parent_comment_id)));
  for (const c of picked) {
    if (c.unread) {
      c.unread = false;
      ctx.dirty = true;
    }
  }
  return paginate(ctx, picked.sort((a, b) => b.created_at - a.created_at).map((c) => commentView(ctx.state, c)));
}

function replyComment(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  requireScope(link, 'comment.reply');
  const target = ctx.state.comments[param(ctx, 1)];
  if (!target || target.owner !== link.username) throw new SandboxError('not_found', 'Unknown comment.', { details: { field: 'comment_id' } });
  const text = checkText(parseBody(ctx, ReplyCommentBody).text, COMMENT_MAX, 'comment reply');
  const reply: CommentRec = {
    comment_id: numericId(),
    owner: target.owner,
    video_id: target.video_id,
    parent_comment_id: target.parent_comment_id ?? target.comment_id,
    username: link.username,
    text,
    created_at: ctx.now,
    status: URL_RE.test(text) ? 'pending_review' : 'published',
    unread: false,
  };
  ctx.state.comments[reply.comment_id] = reply;
  return commentView(ctx.state, reply);
}

function follow(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  requireScope(link, 'follow.write');
  const username = parseBody(ctx, FollowBody).username;
  if (!isValidUsername(username)) throw new SandboxError('invalid_username', `"${username}" is not a TikTok username.`, { details: { field: 'username' } });
  if (!ctx.state.users[username]) throw new SandboxError('not_found', `There is no TikTok account @${username}.`, { details: { field: 'username' } });
  if (username === link.username) throw new SandboxError('invalid_params', 'An account cannot follow itself.', { details: { field: 'username' } });
  if (!ctx.state.follows.some((f) => f.follower === link.username && f.username === username)) {
    ctx.state.follows.push({ follower: link.username, username, at: ctx.now, unread: true });
  }
  for (const f of ctx.state.follows) if (f.follower === username && f.username === link.username) f.unread = false; // followed back: seen
  return { username, following: true as const };
}

/** Whether the linked account follows `username` (the simulated TikTok knows; a real one may answer not_supported). */
function followStatus(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0), { usable: true });
  const username = param(ctx, 1).replace(/^@/, '');
  if (!isValidUsername(username)) throw new SandboxError('invalid_username', `"${username}" is not a TikTok username.`, { details: { field: 'username' } });
  return { username, following: ctx.state.follows.some((f) => f.follower === link.username && f.username === username) };
}

export const activityRoutes: Route[] = [
  route('GET', '/v1/links/:id/conversations', listConversations),
  route('GET', '/v1/links/:id/conversations/:cid/messages', listMessages),
  route('POST', '/v1/links/:id/conversations/:cid/messages', sendMessage),
  route('GET', '/v1/links/:id/comments', listComments),
  route('POST', '/v1/links/:id/comments/:cid/replies', replyComment),
  route('POST', '/v1/links/:id/follows', follow),
  route('GET', '/v1/links/:id/follows/:username', followStatus),
];
