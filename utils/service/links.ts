/**
 * Links: the Gmail user's TikTok accounts as the API shows them (`Link`, with capabilities and the reasons for
 * each one that is off), ownership checks, listing, unlinking (TikTok grant revoked, session ended with the last
 * link) and status changes, each with a `link.status_changed` event.
 */
import type { Link } from '../api/schemas';
import { type Ctx, iso, paginate, param, type Ports, route, type Route, sessionGmail } from './context';
import { ServiceError } from './errors';
import { addEvent } from './events';
import { changeNotifications, notificationSettings, parseNotificationsPatch } from './notifications';
import type { Capability, LinkRecord, LinkStatus, Store, TikTok } from './ports';

const LABELS = { messages: 'direct messages', comments: 'comments', follow: 'following accounts' } as const;
type CapName = keyof typeof LABELS;

export function capabilities(tiktok: TikTok, l: LinkRecord): Link['capabilities'] {
  if (l.status !== 'active') {
    const reason = l.status === 'reauth_required' ? 'TikTok needs you to sign in again.' : 'This link was removed.';
    return {
      messages: false,
      comments: false,
      follow: false,
      reason,
      reasons: { messages: reason, comments: reason, follow: reason },
    };
  }
  const caps = tiktok.capabilities(l.tiktok, l.grant.scopes);
  const off = (Object.keys(LABELS) as CapName[]).filter((k) => !caps[k].ok);
  const why = (k: CapName) => (caps[k] as Extract<Capability, { ok: false }>).reason;
  const reasons = Object.fromEntries(off.map((k) => [k, why(k)]));
  // 1.0's single reason covers messages and comments; when both miss a scope it says so in one sentence.
  const v1 = off.filter((k) => k !== 'follow');
  const byScope = v1.every((k) => (caps[k] as Extract<Capability, { ok: false }>).scope);
  const reason = !v1.length
    ? undefined
    : byScope
      ? `Access to ${v1.map((k) => LABELS[k]).join(' and ')} was not allowed when you signed in to TikTok.`
      : v1.map(why).join(' ');
  return {
    messages: caps.messages.ok,
    comments: caps.comments.ok,
    follow: caps.follow.ok,
    ...(reason && { reason }),
    ...(off.length && { reasons }),
  };
}

export function linkView(tiktok: TikTok, l: LinkRecord): Link {
  return {
    link_id: l.link_id,
    gmail: l.gmail,
    status: l.status,
    tiktok: { ...l.tiktok },
    scopes: [...l.grant.scopes],
    capabilities: capabilities(tiktok, l),
    linked_at: iso(l.linked_at),
    updated_at: iso(l.updated_at),
    notifications: notificationSettings(l),
  };
}

/** Sets the link's status (on `store`, maybe a transaction) with its event. */
export async function setLinkStatus(
  ports: Pick<Ports, 'random' | 'clock'>,
  store: Store,
  l: LinkRecord,
  status: LinkStatus,
): Promise<LinkRecord> {
  const next = { ...l, status, updated_at: ports.clock.now() };
  await store.links.put(next);
  await addLinkEvent(ports, store, next);
  return next;
}

export const addLinkEvent = (ports: Pick<Ports, 'random' | 'clock'>, store: Store, l: LinkRecord) =>
  addEvent(ports, store, {
    type: 'link.status_changed',
    link_id: l.link_id,
    gmail: l.gmail,
    summary: `@${l.tiktok.username} is now ${l.status.replace('_', ' ')}`,
    ref: { username: l.tiktok.username },
  });

/** The link with that id owned by the session's Gmail address (`not_found` / `permission_denied` / `reauth_required` otherwise). */
export async function ownedLink(ctx: Ctx, id: string, opts: { usable?: boolean } = {}): Promise<LinkRecord> {
  const gmail = await sessionGmail(ctx);
  const link = await ctx.store.links.get(id);
  if (!link || link.status === 'revoked')
    throw new ServiceError('not_found', 'Unknown link.', { details: { field: 'link_id' } });
  if (link.gmail !== gmail)
    throw new ServiceError('permission_denied', 'This TikTok account is linked to another Gmail address.');
  if (opts.usable && link.status === 'reauth_required')
    throw new ServiceError('reauth_required', `TikTok needs you to sign in to @${link.tiktok.username} again.`);
  return link;
}

/** `scope_not_authorized` unless the link's TikTok grant has `scope`. */
export function requireScope(l: LinkRecord, scope: string): void {
  if (!l.grant.scopes.includes(scope)) {
    throw new ServiceError(
      'scope_not_authorized',
      `@${l.tiktok.username} did not allow ${scope} when signing in to TikTok. Sign in again and allow it.`,
      { details: { scope } },
    );
  }
}

/**
 * The link can do `what` with `scope` granted: `not_supported` when TikTok offers it not to this account at all (a
 * personal account, Login Kit: no scope could fix it), else `scope_not_authorized` when the scope is missing.
 */
export function requireCapability(tiktok: TikTok, l: LinkRecord, what: CapName, scope: string): void {
  const cap = tiktok.capabilities(l.tiktok, l.grant.scopes)[what];
  if (!cap.ok && !cap.scope) throw new ServiceError('not_supported', cap.reason, { details: { reason: cap.reason } });
  requireScope(l, scope);
  if (!cap.ok) throw new ServiceError('not_supported', cap.reason, { details: { reason: cap.reason } });
}

async function listLinks(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const links = (await ctx.store.links.find({ gmail })).filter((l) => l.status !== 'revoked');
  return paginate(
    ctx,
    links.map((l) => linkView(ctx.tiktok, l)),
  );
}

async function unlink(ctx: Ctx) {
  const link = await ownedLink(ctx, param(ctx, 0));
  await ctx.tiktok.revoke(link.grant).catch(() => undefined); // the link ends here whatever TikTok answers
  const revoked = await ctx.store.transaction(async (tx) => {
    const next = await setLinkStatus(ctx, tx, link, 'revoked');
    const others = (await tx.links.find({ gmail: link.gmail })).some((l) => l.status !== 'revoked');
    if (!others) await tx.sessions.revokeAll(link.gmail);
    return next;
  });
  return linkView(ctx.tiktok, revoked);
}

/** `PATCH /v1/links/{id}/notifications`: some kinds on or off, the others kept (read and written under the row's lock). */
async function setNotifications(ctx: Ctx) {
  const patch = parseNotificationsPatch(ctx.body ?? {});
  const owned = await ownedLink(ctx, param(ctx, 0));
  const next = await changeNotifications(ctx.store, owned.link_id, patch);
  if (!next) throw new ServiceError('not_found', 'Unknown link.', { details: { field: 'link_id' } });
  return linkView(ctx.tiktok, next);
}

export const linkRoutes: Route[] = [
  route('GET', '/v1/links', listLinks),
  route('GET', '/v1/links/:id', async (ctx) => linkView(ctx.tiktok, await ownedLink(ctx, param(ctx, 0)))),
  route('DELETE', '/v1/links/:id', unlink),
  route('PATCH', '/v1/links/:id/notifications', setNotifications),
];
