/**
 * Follow back from a follower notification, and whether the account already follows someone. Where TikTok offers no
 * follow (`info().follow` false: real TikTok) both answer `not_supported` with the profile page as `fallback_url`, so
 * the extension opens it instead. Following someone who follows the account marks that follower as seen.
 */
import { FollowBody, isValidUsername } from '../api/schemas';
import { type Ctx, param, parseBody, route, type Route } from './context';
import { invalidField, ServiceError } from './errors';
import { withGrant } from './grants';
import { ownedLink, requireCapability } from './links';

export const profileUrl = (username: string) => `https://www.tiktok.com/@${username}`;

const noFollow = (username: string) => {
  const reason = 'TikTok does not let apps follow accounts. Open the profile in TikTok to follow.';
  return new ServiceError('not_supported', reason, { details: { reason, fallback_url: profileUrl(username) } });
};

function checkedUsername(raw: string): string {
  const username = raw.replace(/^@/, '');
  if (!isValidUsername(username))
    throw new ServiceError('invalid_username', `"${username}" is not a TikTok username.`, {
      details: { field: 'username' },
    });
  return username;
}

async function follow(ctx: Ctx) {
  const link = await ownedLink(ctx, param(ctx, 0), { usable: true });
  const can = ctx.tiktok.info().follow;
  if (can) requireCapability(ctx.tiktok, link, 'follow', ctx.tiktok.scopes.follow);
  const username = parseBody(ctx, FollowBody).username;
  if (!isValidUsername(username))
    throw new ServiceError('invalid_username', `"${username}" is not a TikTok username.`, {
      details: { field: 'username' },
    });
  if (!can) throw noFollow(username);
  if (username.toLowerCase() === link.tiktok.username.toLowerCase())
    throw invalidField('username', 'An account cannot follow itself.');
  await withGrant(ctx, link, (g) => ctx.tiktok.follow(g, username));
  await ctx.store.unread.clear(link.tiktok.open_id, 'followers', username); // followed back: seen
  return { username, following: true as const };
}

async function followStatus(ctx: Ctx) {
  const link = await ownedLink(ctx, param(ctx, 0), { usable: true });
  const username = checkedUsername(param(ctx, 1));
  const isFollowing = ctx.tiktok.isFollowing?.bind(ctx.tiktok);
  if (!ctx.tiktok.info().follow || !isFollowing) throw noFollow(username);
  return { username, following: await withGrant(ctx, link, (g) => isFollowing(g, username)) };
}

export const followRoutes: Route[] = [
  route('POST', '/v1/links/:id/follows', follow),
  route('GET', '/v1/links/:id/follows/:username', followStatus),
];
