/**
 * Ads Manager: advertisers with the Gmail user's role, authorizations asked by an advertiser (admin only to change
 * them), and the owner's side (requests addressed to the user's linked TikTok accounts). A pending request expires
 * after 7 days. A PATCH that keeps within what was granted narrows the grant at once; one that asks for more goes
 * back to the owner as a new `pending` request. Wrong-status calls (patch when not authorized, resend when not
 * rejected/expired, approve/reject when not pending) → `invalid_params` with `details.field = 'status'`.
 */
import { z } from 'zod';
import { AuthorizationStatus, CreateAuthorizationBody, isValidUsername, PermissionsBody, type Permission } from '../api/schemas';
import { SandboxError, paginate, param, parseBody, route, sessionGmail, type Ctx, type Route } from './context';
import { adsRequestEmail } from './emails';
import { addEvent, linkedUsernames } from './events';
import { iso, nextId, type AdvertiserRec, type AuthorizationRec, type SandboxState } from './state';

export const PENDING_TTL_MS = 7 * 24 * 3_600_000;

export const roleOf = (a: AdvertiserRec, gmail: string) => (gmail in a.roles ? a.roles[gmail]! : a.default_role);

export function authorizationView(state: SandboxState, a: AuthorizationRec) {
  const adv = state.advertisers[a.advertiser_id]!;
  const u = state.users[a.username]!;
  return {
    authorization_id: a.authorization_id,
    advertiser: { advertiser_id: adv.advertiser_id, name: adv.name },
    tiktok: { username: u.username, display_name: u.display_name, account_type: u.account_type },
    status: a.status,
    permissions: { requested: [...a.requested], granted: [...a.granted] },
    requested_at: iso(a.requested_at),
    decided_at: a.decided_at === null ? null : iso(a.decided_at),
    expires_at: a.expires_at === null ? null : iso(a.expires_at),
  };
}

/** Pending requests past their 7 days become `expired` (run before every request). */
export function expireDue(ctx: Ctx): void {
  for (const a of Object.values(ctx.state.authorizations)) {
    if (a.status === 'pending' && a.expires_at !== null && a.expires_at <= ctx.now) {
      a.status = 'expired';
      ctx.dirty = true;
      notifyAdvertiser(ctx, a);
    }
  }
}

/** Event to the Gmail user who asked, on one of their active links (events are per link). */
function notifyAdvertiser(ctx: Ctx, a: AuthorizationRec) {
  const link = Object.values(ctx.state.links).find((l) => l.gmail === a.requested_by && l.status === 'active');
  if (!link) return;
  const adv = ctx.state.advertisers[a.advertiser_id]!;
  addEvent(ctx, { type: 'ads_authorization.status_changed', link_id: link.link_id, gmail: link.gmail, summary: `@${a.username} authorization for ${adv.name} is ${a.status}`, ref: { authorization_id: a.authorization_id, username: a.username } });
}

/** Sends the request to the account owner: an email to the account's address and an event on the owner's link. */
export function requestFromOwner(ctx: Ctx, a: AuthorizationRec) {
  const u = ctx.state.users[a.username]!;
  const adv = ctx.state.advertisers[a.advertiser_id]!;
  adsRequestEmail(ctx.state, ctx.now, u.email, u.username, adv.name, a.authorization_id, a.requested, a.expires_at ?? ctx.now);
  const link = Object.values(ctx.state.links).find((l) => l.username === a.username && l.status === 'active');
  if (link) {
    addEvent(ctx, { type: 'ads_request.received', link_id: link.link_id, gmail: link.gmail, summary: `${adv.name} asks to use @${u.username} in ads`, ref: { authorization_id: a.authorization_id, username: u.username } });
  }
}

function advertiserFor(ctx: Ctx, id: string, needAdmin: boolean): AdvertiserRec {
  const gmail = sessionGmail(ctx);
  const adv = ctx.state.advertisers[id];
  const role = adv ? roleOf(adv, gmail) : null;
  if (!adv || !role) throw new SandboxError('not_found', 'Unknown advertiser.', { details: { field: 'advertiser_id' } });
  if (needAdmin && role !== 'admin') {
    throw new SandboxError('permission_denied', `Your role on ${adv.name} is ${role}; only an admin can manage TikTok account authorizations.`, { details: { role } });
  }
  return adv;
}

function visibleAuthorization(ctx: Ctx, needAdmin: boolean): AuthorizationRec {
  sessionGmail(ctx);
  const a = ctx.state.authorizations[param(ctx, 0)];
  if (!a) throw new SandboxError('not_found', 'Unknown authorization.', { details: { field: 'authorization_id' } });
  advertiserFor(ctx, a.advertiser_id, needAdmin);
  return a;
}

const wrongStatus = (a: AuthorizationRec, allowed: string) =>
  new SandboxError('invalid_params', `This authorization is ${a.status}; that is only possible when it is ${allowed}.`, { details: { field: 'status', status: a.status } });

function listAdvertisers(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  const items = Object.values(ctx.state.advertisers)
    .filter((a) => roleOf(a, gmail))
    .map((a) => ({ advertiser_id: a.advertiser_id, name: a.name, role: roleOf(a, gmail)! }));
  return paginate(ctx, items);
}

function create(ctx: Ctx) {
  const body = parseBody(ctx, CreateAuthorizationBody);
  const adv = advertiserFor(ctx, body.advertiser_id, true);
  if (!isValidUsername(body.username)) throw new SandboxError('invalid_username', `"${body.username}" is not a TikTok username.`, { details: { field: 'username' } });
  const user = Object.values(ctx.state.users).find((u) => u.username.toLowerCase() === body.username.toLowerCase());
  if (!user) throw new SandboxError('not_found', `There is no TikTok account @${body.username}.`, { details: { field: 'username' } });
  const open = Object.values(ctx.state.authorizations).find(
    (a) => a.advertiser_id === adv.advertiser_id && a.username === user.username && (a.status === 'pending' || a.status === 'authorized'),
  );
  if (open) {
    throw new SandboxError('duplicate_request', `${adv.name} already has an ${open.status} authorization for @${user.username}.`, { details: { authorization_id: open.authorization_id } });
  }
  const a: AuthorizationRec = {
    authorization_id: nextId(ctx.state, 'auth'),
    advertiser_id: adv.advertiser_id,
    requested_by: sessionGmail(ctx),
    username: user.username,
    status: 'pending',
    requested: [...new Set(body.permissions)],
    granted: [],
    requested_at: ctx.now,
    decided_at: null,
    expires_at: ctx.now + PENDING_TTL_MS,
  };
  ctx.state.authorizations[a.authorization_id] = a;
  requestFromOwner(ctx, a);
  return authorizationView(ctx.state, a);
}

const ListAuthQuery = z.object({ advertiser_id: z.string().optional(), status: AuthorizationStatus.optional() });

function listAuthorizations(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  const q = ListAuthQuery.safeParse({ advertiser_id: ctx.url.searchParams.get('advertiser_id') || undefined, status: ctx.url.searchParams.get('status') || undefined });
  if (!q.success) throw new SandboxError('invalid_params', 'Unknown status filter.', { details: { field: 'status' } });
  const items = Object.values(ctx.state.authorizations)
    .filter((a) => roleOf(ctx.state.advertisers[a.advertiser_id]!, gmail))
    .filter((a) => (!q.data.advertiser_id || a.advertiser_id === q.data.advertiser_id) && (!q.data.status || a.status === q.data.status))
    .sort((x, y) => y.requested_at - x.requested_at)
    .map((a) => authorizationView(ctx.state, a));
  return paginate(ctx, items);
}

function patch(ctx: Ctx) {
  const a = visibleAuthorization(ctx, true);
  const permissions = [...new Set(parseBody(ctx, PermissionsBody).permissions)];
  if (a.status !== 'authorized') throw wrongStatus(a, 'authorized');
  a.requested = permissions;
  if (permissions.every((p) => a.granted.includes(p))) {
    a.granted = permissions;
    a.decided_at = ctx.now;
  } else {
    a.status = 'pending';
    a.requested_at = ctx.now;
    a.decided_at = null;
    a.expires_at = ctx.now + PENDING_TTL_MS;
    requestFromOwner(ctx, a);
  }
  return authorizationView(ctx.state, a);
}

function resend(ctx: Ctx) {
  const a = visibleAuthorization(ctx, true);
  if (a.status !== 'rejected' && a.status !== 'expired') throw wrongStatus(a, 'rejected or expired');
  const open = Object.values(ctx.state.authorizations).find(
    (o) => o !== a && o.advertiser_id === a.advertiser_id && o.username === a.username && (o.status === 'pending' || o.status === 'authorized'),
  );
  if (open) throw new SandboxError('duplicate_request', 'Another open authorization for this account exists.', { details: { authorization_id: open.authorization_id } });
  Object.assign(a, { status: 'pending', granted: [], requested_at: ctx.now, decided_at: null, expires_at: ctx.now + PENDING_TTL_MS });
  requestFromOwner(ctx, a);
  return authorizationView(ctx.state, a);
}

function revoke(ctx: Ctx) {
  const a = visibleAuthorization(ctx, true);
  if (a.status !== 'revoked') Object.assign(a, { status: 'revoked', decided_at: ctx.now, expires_at: null });
  return authorizationView(ctx.state, a);
}

function listRequests(ctx: Ctx) {
  const mine = linkedUsernames(ctx.state, sessionGmail(ctx));
  const status = ctx.url.searchParams.get('status') || undefined;
  if (status !== undefined && !AuthorizationStatus.safeParse(status).success) throw new SandboxError('invalid_params', 'Unknown status filter.', { details: { field: 'status' } });
  const items = Object.values(ctx.state.authorizations)
    .filter((a) => mine.has(a.username) && (!status || a.status === status))
    .sort((x, y) => y.requested_at - x.requested_at)
    .map((a) => authorizationView(ctx.state, a));
  return paginate(ctx, items);
}

/** Approve as the owner, with a subset of what was asked (all of it when `permissions` is absent). */
export function decide(ctx: Ctx, a: AuthorizationRec, decision: 'approve' | 'reject', permissions?: Permission[]) {
  if (a.status !== 'pending') throw wrongStatus(a, 'pending');
  if (decision === 'approve') {
    const grant = [...new Set(permissions ?? a.requested)];
    const extra = grant.filter((p) => !a.requested.includes(p));
    if (extra.length) throw new SandboxError('invalid_params', `Only permissions that were asked for can be granted (not ${extra.join(', ')}).`, { details: { field: 'permissions' } });
    Object.assign(a, { status: 'authorized', granted: grant, decided_at: ctx.now, expires_at: null });
  } else {
    Object.assign(a, { status: 'rejected', granted: [], decided_at: ctx.now, expires_at: null });
  }
  notifyAdvertiser(ctx, a);
  return authorizationView(ctx.state, a);
}

function ownRequest(ctx: Ctx): AuthorizationRec {
  const mine = linkedUsernames(ctx.state, sessionGmail(ctx));
  const a = ctx.state.authorizations[param(ctx, 0)];
  if (!a) throw new SandboxError('not_found', 'Unknown authorization request.', { details: { field: 'authorization_id' } });
  if (!mine.has(a.username)) throw new SandboxError('permission_denied', `This request is for @${a.username}, which is not linked to this Gmail address.`);
  return a;
}

export const adsRoutes: Route[] = [
  route('GET', '/v1/ads/advertisers', listAdvertisers),
  route('POST', '/v1/ads/authorizations', create),
  route('GET', '/v1/ads/authorizations', listAuthorizations),
  route('GET', '/v1/ads/authorizations/:id', (ctx) => authorizationView(ctx.state, visibleAuthorization(ctx, false))),
  route('PATCH', '/v1/ads/authorizations/:id', patch),
  route('POST', '/v1/ads/authorizations/:id/resend', resend),
  route('DELETE', '/v1/ads/authorizations/:id', revoke),
  route('GET', '/v1/ads/requests', listRequests),
  route('POST', '/v1/ads/requests/:id/approve', (ctx) => decide(ctx, ownRequest(ctx), 'approve', parseBody(ctx, PermissionsBody).permissions)),
  route('POST', '/v1/ads/requests/:id/reject', (ctx) => decide(ctx, ownRequest(ctx), 'reject')),
];
