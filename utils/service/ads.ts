/**
 * Ads Manager authorizations, the service's state machine: an advertiser's admin asks a TikTok account's owner
 * (TikTok notifies the owner and/or gives an `invite_url` to open); the owner approves a subset of what was asked,
 * or rejects, in the API (`features.ads_approve_in_api`) or in TikTok (the deployment reports it through
 * `ingest.authorizationDecided`; the API then answers `not_supported` with the invite link as `fallback_url`).
 * A pending request expires after 7 days. A PATCH within what was granted narrows it at once; one asking for more goes
 * back to the owner as `pending`. Wrong-status calls → `invalid_params` with `details.field = 'status'`.
 */
import { z } from 'zod';
import {
  AuthorizationStatus,
  CreateAuthorizationBody,
  isValidUsername,
  PermissionsBody,
  type Authorization,
  type Permission,
} from '../api/schemas';
import {
  type Ctx,
  iso,
  newId,
  paginate,
  param,
  parseBody,
  type Ports,
  route,
  type Route,
  sessionGmail,
} from './context';
import { fromTikTok, invalidField, ServiceError } from './errors';
import { addEvent, eventView, type EventView } from './events';
import type { Advertiser, AdvertiserRole, AuthorizationRecord, Millis } from './ports';

export const PENDING_TTL_MS = 7 * 24 * 3_600_000;

type Env = Pick<Ports, 'store' | 'tiktok' | 'random' | 'clock'>;

/** The API's `Authorization`s of these records (one lookup of advertisers and users for all). */
export async function views(env: Env, gmail: string, recs: AuthorizationRecord[]): Promise<Authorization[]> {
  const advertisers = new Map((await env.tiktok.advertisers(gmail)).map((a) => [a.advertiser_id, a]));
  const users = await env.tiktok.users([...new Set(recs.map((a) => a.username))]);
  return recs.map((a) => {
    const u = users.get(a.username);
    return {
      authorization_id: a.authorization_id,
      advertiser: { advertiser_id: a.advertiser_id, name: advertisers.get(a.advertiser_id)?.name ?? a.advertiser_id },
      tiktok: {
        username: u?.username ?? a.username,
        display_name: u?.display_name ?? a.username,
        account_type: u?.account_type ?? 'business',
      },
      status: a.status,
      permissions: { requested: [...a.requested], granted: [...a.granted] },
      requested_at: iso(a.requested_at),
      decided_at: a.decided_at === null ? null : iso(a.decided_at),
      expires_at: a.expires_at === null ? null : iso(a.expires_at),
      ...(a.status === 'pending' && a.invite_url && { invite_url: a.invite_url }),
    };
  });
}
const view = async (env: Env, gmail: string, a: AuthorizationRecord) => (await views(env, gmail, [a]))[0]!;

/** An event on the first active link of the Gmail user who asked. */
async function notifyAdvertiser(env: Env, a: AuthorizationRecord, name: string) {
  if (!a.requested_by) return;
  const [link] = await env.store.links.find({ gmail: a.requested_by, status: 'active' });
  if (!link) return;
  await addEvent(env, env.store, {
    type: 'ads_authorization.status_changed',
    link_id: link.link_id,
    gmail: link.gmail,
    summary: `@${a.username} authorization for ${name} is ${a.status}`,
    ref: { authorization_id: a.authorization_id, username: a.username },
  });
}

/** Pending requests past their 7 days become `expired`; the advertiser is told once (the store expires atomically). */
export async function expireDue(env: Env, now: Millis): Promise<void> {
  for (const a of await env.store.authorizations.expire(now)) {
    const adv = (await env.tiktok.advertisers(a.requested_by ?? '')).find((x) => x.advertiser_id === a.advertiser_id);
    await notifyAdvertiser(env, a, adv?.name ?? a.advertiser_id);
  }
}

/** Sends the request to the account's owner (TikTok's notification and/or invite link) and an event on the owner's link. */
async function requestFromOwner(
  env: Env,
  a: AuthorizationRecord,
  advertiser: Advertiser,
): Promise<{ rec: AuthorizationRecord; event: EventView | null }> {
  const { invite_url } = await env.tiktok
    .requestAuthorization({
      authorization_id: a.authorization_id,
      advertiser,
      username: a.username,
      permissions: a.requested,
      expires_at: a.expires_at ?? env.clock.now(),
    })
    .catch((e: unknown) => {
      throw fromTikTok(e);
    });
  const rec = { ...a, invite_url };
  await env.store.authorizations.put(rec);
  const [link] = await env.store.links.find({ username: a.username, status: 'active' });
  if (!link) return { rec, event: null };
  const e = await addEvent(env, env.store, {
    type: 'ads_request.received',
    link_id: link.link_id,
    gmail: link.gmail,
    summary: `${advertiser.name} asks to use @${a.username} in ads`,
    ref: { authorization_id: a.authorization_id, username: a.username },
  });
  return { rec, event: eventView(e) };
}

async function advertiserFor(ctx: Ctx, id: string, needAdmin: boolean): Promise<Advertiser & { role: AdvertiserRole }> {
  const gmail = await sessionGmail(ctx);
  const adv = (await ctx.tiktok.advertisers(gmail)).find((a) => a.advertiser_id === id);
  if (!adv?.role) throw new ServiceError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  if (needAdmin && adv.role !== 'admin') {
    throw new ServiceError(
      'permission_denied',
      `Your role on ${adv.name} is ${adv.role}; only an admin can manage TikTok account authorizations.`,
      { details: { role: adv.role } },
    );
  }
  return { advertiser_id: adv.advertiser_id, name: adv.name, role: adv.role };
}

async function visibleAuthorization(ctx: Ctx, needAdmin: boolean) {
  const gmail = await sessionGmail(ctx);
  const a = await ctx.store.authorizations.get(param(ctx, 0));
  if (!a) throw new ServiceError('not_found', 'Unknown authorization.', { details: { field: 'authorization_id' } });
  const adv = await advertiserFor(ctx, a.advertiser_id, needAdmin);
  return { gmail, a, adv };
}

const wrongStatus = (a: AuthorizationRecord, allowed: string) =>
  invalidField('status', `This authorization is ${a.status}; that is only possible when it is ${allowed}.`, {
    status: a.status,
  });

async function openFor(env: Env, advertiser_id: string, username: string, except?: string) {
  const all = await env.store.authorizations.find({ advertiser_id, username });
  return all.find((o) => o.authorization_id !== except && (o.status === 'pending' || o.status === 'authorized'));
}

async function listAdvertisers(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const items = (await ctx.tiktok.advertisers(gmail))
    .filter((a) => a.role)
    .map((a) => ({ advertiser_id: a.advertiser_id, name: a.name, role: a.role! }));
  return paginate(ctx, items);
}

/** A new pending request (from the service's advertiser side, or from outside it when `requested_by` is null). */
async function newRequest(
  env: Env,
  advertiser: Advertiser,
  username: string,
  permissions: Permission[],
  requested_by: string | null,
) {
  const now = env.clock.now();
  const a: AuthorizationRecord = {
    authorization_id: newId(env, 'auth'),
    advertiser_id: advertiser.advertiser_id,
    requested_by,
    username,
    status: 'pending',
    requested: [...new Set(permissions)],
    granted: [],
    requested_at: now,
    decided_at: null,
    expires_at: now + PENDING_TTL_MS,
  };
  return requestFromOwner(env, a, advertiser);
}

async function create(ctx: Ctx) {
  const body = parseBody(ctx, CreateAuthorizationBody);
  const adv = await advertiserFor(ctx, body.advertiser_id, true);
  if (!isValidUsername(body.username))
    throw new ServiceError('invalid_username', `"${body.username}" is not a TikTok username.`, {
      details: { field: 'username' },
    });
  const user = (await ctx.tiktok.users([body.username])).get(body.username);
  if (!user)
    throw new ServiceError('not_found', `There is no TikTok account @${body.username}.`, {
      details: { field: 'username' },
    });
  const open = await openFor(ctx, adv.advertiser_id, user.username);
  if (open)
    throw new ServiceError(
      'duplicate_request',
      `${adv.name} already has an ${open.status} authorization for @${user.username}.`,
      { details: { authorization_id: open.authorization_id } },
    );
  const gmail = await sessionGmail(ctx);
  return view(ctx, gmail, (await newRequest(ctx, adv, user.username, body.permissions, gmail)).rec);
}

const ListAuthQuery = z.object({ advertiser_id: z.string().optional(), status: AuthorizationStatus.optional() });

async function listAuthorizations(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const q = ListAuthQuery.safeParse({
    advertiser_id: ctx.url.searchParams.get('advertiser_id') || undefined,
    status: ctx.url.searchParams.get('status') || undefined,
  });
  if (!q.success) throw invalidField('status', 'Unknown status filter.');
  const visible = new Set((await ctx.tiktok.advertisers(gmail)).filter((a) => a.role).map((a) => a.advertiser_id));
  const found = await ctx.store.authorizations.find({
    ...(q.data.advertiser_id && { advertiser_id: q.data.advertiser_id }),
    ...(q.data.status && { status: q.data.status }),
  });
  return paginate(
    ctx,
    await views(
      ctx,
      gmail,
      found.filter((a) => visible.has(a.advertiser_id)),
    ),
  );
}

async function patch(ctx: Ctx) {
  const { gmail, a, adv } = await visibleAuthorization(ctx, true);
  const permissions = [...new Set(parseBody(ctx, PermissionsBody).permissions)];
  if (a.status !== 'authorized') throw wrongStatus(a, 'authorized');
  if (permissions.every((p) => a.granted.includes(p))) {
    const next = { ...a, requested: permissions, granted: permissions, decided_at: ctx.now };
    await ctx.store.authorizations.put(next);
    return view(ctx, gmail, next);
  }
  const pending = {
    ...a,
    requested: permissions,
    status: 'pending' as const,
    requested_at: ctx.now,
    decided_at: null,
    expires_at: ctx.now + PENDING_TTL_MS,
  };
  return view(ctx, gmail, (await requestFromOwner(ctx, pending, adv)).rec);
}

async function resend(ctx: Ctx) {
  const { gmail, a, adv } = await visibleAuthorization(ctx, true);
  if (a.status !== 'rejected' && a.status !== 'expired') throw wrongStatus(a, 'rejected or expired');
  const open = await openFor(ctx, a.advertiser_id, a.username, a.authorization_id);
  if (open)
    throw new ServiceError('duplicate_request', 'Another open authorization for this account exists.', {
      details: { authorization_id: open.authorization_id },
    });
  const pending = {
    ...a,
    status: 'pending' as const,
    granted: [],
    requested_at: ctx.now,
    decided_at: null,
    expires_at: ctx.now + PENDING_TTL_MS,
  };
  return view(ctx, gmail, (await requestFromOwner(ctx, pending, adv)).rec);
}

async function revoke(ctx: Ctx) {
  const { gmail, a } = await visibleAuthorization(ctx, true);
  if (a.status === 'revoked') return view(ctx, gmail, a);
  if (a.status === 'authorized') {
    await ctx.tiktok
      .revokeAuthorization({ advertiser_id: a.advertiser_id, username: a.username })
      .catch((e: unknown) => {
        throw fromTikTok(e);
      });
  }
  const next = { ...a, status: 'revoked' as const, decided_at: ctx.now, expires_at: null };
  await ctx.store.authorizations.put(next);
  return view(ctx, gmail, next);
}

/** TikTok usernames of the Gmail user's active links. */
async function linkedUsernames(ctx: Ctx, gmail: string): Promise<Set<string>> {
  return new Set((await ctx.store.links.find({ gmail, status: 'active' })).map((l) => l.tiktok.username));
}

async function listRequests(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const mine = await linkedUsernames(ctx, gmail);
  const status = ctx.url.searchParams.get('status') || undefined;
  if (status !== undefined && !AuthorizationStatus.safeParse(status).success)
    throw invalidField('status', 'Unknown status filter.');
  const found: AuthorizationRecord[] = [];
  for (const username of mine)
    found.push(
      ...(await ctx.store.authorizations.find({
        username,
        ...(status && { status: status as AuthorizationRecord['status'] }),
      })),
    );
  found.sort((x, y) => y.requested_at - x.requested_at);
  return paginate(ctx, await views(ctx, gmail, found));
}

/** The owner's decision, with a subset of what was asked (all of it when `permissions` is absent). */
export async function decide(
  env: Env,
  gmail: string,
  a: AuthorizationRecord,
  decision: 'approve' | 'reject',
  permissions?: string[],
): Promise<Authorization> {
  if (a.status !== 'pending') throw wrongStatus(a, 'pending');
  const now = env.clock.now();
  let next: AuthorizationRecord;
  if (decision === 'approve') {
    const grant = [...new Set(permissions ?? a.requested)] as Permission[];
    const extra = grant.filter((p) => !a.requested.includes(p));
    if (extra.length)
      throw invalidField(
        'permissions',
        `Only permissions that were asked for can be granted (not ${extra.join(', ')}).`,
      );
    next = { ...a, status: 'authorized', granted: grant, decided_at: now, expires_at: null };
  } else {
    next = { ...a, status: 'rejected', granted: [], decided_at: now, expires_at: null };
  }
  await env.store.authorizations.put(next);
  const adv = (await env.tiktok.advertisers(a.requested_by ?? gmail)).find((x) => x.advertiser_id === a.advertiser_id);
  await notifyAdvertiser(env, next, adv?.name ?? a.advertiser_id);
  return view(env, gmail, next);
}

async function ownRequest(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const mine = await linkedUsernames(ctx, gmail);
  const a = await ctx.store.authorizations.get(param(ctx, 0));
  if (!a)
    throw new ServiceError('not_found', 'Unknown authorization request.', { details: { field: 'authorization_id' } });
  if (!mine.has(a.username))
    throw new ServiceError(
      'permission_denied',
      `This request is for @${a.username}, which is not linked to this Gmail address.`,
    );
  if (!ctx.tiktok.info().ads_approve_in_api) {
    const reason = 'This request is decided in TikTok: open the invitation link to approve or reject it.';
    throw new ServiceError('not_supported', reason, {
      details: { reason, ...(a.invite_url && { fallback_url: a.invite_url }) },
    });
  }
  return { gmail, a };
}

async function approve(ctx: Ctx) {
  const { gmail, a } = await ownRequest(ctx);
  return decide(ctx, gmail, a, 'approve', parseBody(ctx, PermissionsBody).permissions);
}

async function reject(ctx: Ctx) {
  const { gmail, a } = await ownRequest(ctx);
  return decide(ctx, gmail, a, 'reject');
}

/** An advertiser outside the service asks the account's owner (the simulated TikTok's activity, a real Business Center). */
export async function requestedFromOutside(
  env: Env,
  r: { advertiser_id: string; username: string; permissions: string[] },
) {
  const adv = (await env.tiktok.advertisers('')).find((a) => a.advertiser_id === r.advertiser_id);
  if (!adv) throw new ServiceError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  const open = await openFor(env, adv.advertiser_id, r.username);
  if (open)
    throw new ServiceError('duplicate_request', 'That advertiser already has an open authorization for this account.', {
      details: { authorization_id: open.authorization_id },
    });
  const { rec, event } = await newRequest(
    env,
    { advertiser_id: adv.advertiser_id, name: adv.name },
    r.username,
    r.permissions as Permission[],
    null,
  );
  return { authorization: await view(env, '', rec), event };
}

/** The advertiser's side needs Ads on this deployment (`features.ads`); without it every call says why. */
const advertiserRoute = (method: string, path: string, run: (ctx: Ctx) => Promise<unknown>): Route =>
  route(method, path, async (ctx) => {
    await sessionGmail(ctx);
    const info = ctx.tiktok.info();
    if (!info.ads) {
      const reason = info.ads_reason ?? 'This service offers no Ads authorizations.';
      throw new ServiceError('not_supported', reason, { details: { reason } });
    }
    return run(ctx);
  });

export const adsRoutes: Route[] = [
  advertiserRoute('GET', '/v1/ads/advertisers', listAdvertisers),
  advertiserRoute('POST', '/v1/ads/authorizations', create),
  advertiserRoute('GET', '/v1/ads/authorizations', listAuthorizations),
  advertiserRoute('GET', '/v1/ads/authorizations/:id', async (ctx) => {
    const { gmail, a } = await visibleAuthorization(ctx, false);
    return view(ctx, gmail, a);
  }),
  advertiserRoute('PATCH', '/v1/ads/authorizations/:id', patch),
  advertiserRoute('POST', '/v1/ads/authorizations/:id/resend', resend),
  advertiserRoute('DELETE', '/v1/ads/authorizations/:id', revoke),
  route('GET', '/v1/ads/requests', listRequests),
  route('POST', '/v1/ads/requests/:id/approve', approve),
  route('POST', '/v1/ads/requests/:id/reject', reject),
];
