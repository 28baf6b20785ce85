/**
 * Comments on a linked account's own videos: the list (optionally one video, optionally one user's comments with
 * their replies — answered by the service, as TikTok cannot filter by user) marks them read; a reply (≤ 150
 * characters as TikTok counts them) goes through the outbox; TikTok decides its status (`pending_review`).
 */
import { COMMENT_MAX, ReplyCommentBody } from '../api/schemas';
import { type Ctx, iso, paginate, param, parseBody, route, type Route } from './context';
import { ServiceError } from './errors';
import { withGrant } from './grants';
import { ownedLink, requireCapability } from './links';
import { checkText } from './messages';
import { sendOnce } from './outbox';
import type { LinkRecord, TikTokComment } from './ports';

export const commentView = (c: TikTokComment) => ({
  comment_id: c.comment_id,
  video_id: c.video_id,
  parent_comment_id: c.parent_comment_id,
  username: c.username,
  display_name: c.display_name,
  text: c.text,
  created_at: iso(c.created_at),
  status: c.status,
});

async function usableLink(ctx: Ctx, scope: 'comments_read' | 'comments_reply') {
  const link = await ownedLink(ctx, param(ctx, 0), { usable: true });
  requireCapability(ctx.tiktok, link, 'comments', ctx.tiktok.scopes[scope]);
  return link;
}

async function listComments(ctx: Ctx) {
  const link = await usableLink(ctx, 'comments_read');
  const username = ctx.url.searchParams.get('username')?.replace(/^@/, '').toLowerCase() || null;
  const video_id = ctx.url.searchParams.get('video_id') || undefined;
  const all = await withGrant(ctx, link, (g) => ctx.tiktok.comments(g, { ...(video_id && { video_id }) }));
  const top = new Set(
    all
      .filter((c) => c.parent_comment_id === null && (username === null || c.username.toLowerCase() === username))
      .map((c) => c.comment_id),
  );
  const picked = all.filter(
    (c) => top.has(c.comment_id) || (c.parent_comment_id !== null && top.has(c.parent_comment_id)),
  );
  for (const c of picked) await ctx.store.unread.clear(link.tiktok.open_id, 'comments', c.comment_id);
  return paginate(ctx, picked.sort((a, b) => b.created_at - a.created_at).map(commentView));
}

async function replyComment(ctx: Ctx) {
  const link = await usableLink(ctx, 'comments_reply');
  const target = await commentOf(ctx, link, param(ctx, 1));
  return replyToComment(ctx, link, target, parseBody(ctx, ReplyCommentBody).text);
}

/** The comment on a link's videos, or `not_found`. */
export async function commentOf(ctx: Ctx, link: LinkRecord, commentId: string): Promise<TikTokComment> {
  const target = await withGrant(ctx, link, (g) => ctx.tiktok.comment(g, commentId));
  if (!target) throw new ServiceError('not_found', 'Unknown comment.', { details: { field: 'comment_id' } });
  return target;
}

/** A reply (≤ 150 characters as TikTok counts them) under the comment, sent once for `ctx.idempotencyKey`. */
export async function replyToComment(ctx: Ctx, link: LinkRecord, target: TikTokComment, raw: string) {
  const text = checkText(raw, COMMENT_MAX, 'comment reply');
  const reply = (await sendOnce(ctx, link, {
    kind: 'comment_reply',
    target_id: target.comment_id,
    video_id: target.video_id,
    text,
  })) as TikTokComment;
  return commentView(reply);
}

export const commentRoutes: Route[] = [
  route('GET', '/v1/links/:id/comments', listComments),
  route('POST', '/v1/links/:id/comments/:cid/replies', replyComment),
];
