/**
 * Calling TikTok for a linked account: the link's grant is refreshed when it is about to expire and once when TikTok
 * says the token expired (one refresh at a time per link: the link row is locked, and a grant someone else just
 * refreshed is used as is); a refused grant makes the link `reauth_required` with its event. TikTok's errors come
 * out as the API's (`fromTikTok`).
 */
import type { Ctx } from './context';
import { fromTikTok, ServiceError } from './errors';
import { setLinkStatus } from './links';
import { TikTokError, type LinkRecord, type TikTokGrant } from './ports';

/** Refresh when less than this is left of the access token. */
export const REFRESH_MARGIN_MS = 5 * 60_000;

const refused = (e: unknown) =>
  e instanceof TikTokError && (e.code === 'reauth_required' || e.code === 'invalid_grant');

async function refreshed(ctx: Ctx, link: LinkRecord): Promise<TikTokGrant> {
  const outcome = await ctx.store.transaction(async (tx) => {
    const l = await tx.links.get(link.link_id, { lock: true });
    if (!l || l.status !== 'active') return { refused: true as const };
    if (l.grant.access_token !== link.grant.access_token && l.grant.access_expires_at - ctx.now > REFRESH_MARGIN_MS)
      return { grant: l.grant };
    try {
      const grant = await ctx.tiktok.refresh(l.grant);
      await tx.links.put({ ...l, grant, updated_at: ctx.now });
      return { grant };
    } catch (e) {
      if (refused(e)) return { refused: true as const };
      throw fromTikTok(e);
    }
  });
  if ('grant' in outcome && outcome.grant) return outcome.grant;
  await needsReauth(ctx, link);
  throw new ServiceError('reauth_required', `TikTok needs you to sign in to @${link.tiktok.username} again.`);
}

async function needsReauth(ctx: Ctx, link: LinkRecord) {
  const current = await ctx.store.links.get(link.link_id);
  if (current && current.status === 'active') await setLinkStatus(ctx, ctx.store, current, 'reauth_required');
}

/** Runs `call` with a fresh grant of the link. */
export async function withGrant<T>(ctx: Ctx, link: LinkRecord, call: (grant: TikTokGrant) => Promise<T>): Promise<T> {
  let grant = link.grant.access_expires_at - ctx.now < REFRESH_MARGIN_MS ? await refreshed(ctx, link) : link.grant;
  try {
    return await call(grant);
  } catch (e) {
    if (!(e instanceof TikTokError)) throw e;
    if (e.code === 'token_expired') {
      grant = await refreshed(ctx, { ...link, grant });
      return call(grant).catch((again: unknown) => {
        throw fromTikTok(again);
      });
    }
    if (e.code === 'reauth_required') await needsReauth(ctx, link);
    throw fromTikTok(e);
  }
}
