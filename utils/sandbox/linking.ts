/**
 * Linking: email verification codes, sessions, the simulated TikTok OAuth (state, consent decision, callback) and
 * links. OAuth errors: a denied or cancelled consent (`error=access_denied` in the callback) → `permission_denied`
 * with `details.reason = 'access_denied'`; an unknown state → `not_found`; an expired state → `code_expired`;
 * a callback whose state or code does not match → `invalid_params` (`details.field = 'callback_url'`).
 */
import { z } from 'zod';
import { LinkResendBody, LinkStartBody, LinkVerifyBody, OAuthCompleteBody, OAuthStartBody, type Link } from '../api/schemas';
import { SandboxError, paginate, param, parseBody, route, sessionGmail, type Ctx, type Route } from './context';
import { codeEmail } from './emails';
import { addEvent } from './events';
import { accountFor, iso, nextId, randomDigits, randomHex, SCOPES, type LinkRec, type SandboxState, type VerificationRec } from './state';

export const CODE_TTL_MS = 10 * 60_000;
export const RESEND_COOLDOWN_MS = 60_000;
export const MAX_ATTEMPTS = 5;
export const LOCK_MS = 15 * 60_000;
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
export const OAUTH_TTL_MS = 10 * 60_000;
/** `link/start` calls per email address per hour before `rate_limit_exceeded`. */
export const STARTS_PER_HOUR = 5;

const EMAIL_RE = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

function normaliseEmail(raw: string): string {
  const email = raw.replace(/^[ \t]+|[ \t]+$/g, ''); // surrounding spaces only; inner spaces are invalid
  if (!EMAIL_RE.test(email) || email.length > 320) throw new SandboxError('invalid_email', `"${raw}" is not a valid email address.`, { details: { field: 'email' } });
  return email.toLowerCase();
}

export function verificationView(v: VerificationRec) {
  return { verification_id: v.verification_id, email: v.email, status: v.status, expires_at: iso(v.expires_at), resend_after: iso(v.resend_after), attempts_left: v.attempts_left };
}

export function linkView(state: SandboxState, l: LinkRec): Link {
  const u = state.users[l.username]!;
  const usable = l.status === 'active';
  return {
    link_id: l.link_id,
    gmail: l.gmail,
    status: l.status,
    tiktok: { open_id: u.open_id, username: u.username, display_name: u.display_name, avatar_url: u.avatar_url, account_type: u.account_type },
    scopes: [...l.scopes],
    capabilities: capabilities(l),
    linked_at: iso(l.linked_at),
    updated_at: iso(l.updated_at),
  };
}

const has = (l: LinkRec, ...scopes: string[]) => scopes.every((s) => l.scopes.includes(s));

function capabilities(l: LinkRec): Link['capabilities'] {
  if (l.status !== 'active') {
    return { messages: false, comments: false, reason: l.status === 'reauth_required' ? 'TikTok needs you to sign in again.' : 'This link was removed.' };
  }
  const messages = has(l, 'direct_message.read', 'direct_message.send');
  const comments = has(l, 'comment.list', 'comment.reply');
  const missing = [!messages && 'direct messages', !comments && 'comments'].filter(Boolean);
  return { messages, comments, ...(missing.length && { reason: `Access to ${missing.join(' and ')} was not allowed when you signed in to TikTok.` }) };
}

/** `scope_not_authorized` unless the link's TikTok grant has `scope`. */
export function requireScope(l: LinkRec, scope: string): void {
  if (!l.scopes.includes(scope)) {
    throw new SandboxError('scope_not_authorized', `@${l.username} did not allow ${scope} when signing in to TikTok. Sign in again and allow it.`, { details: { scope } });
  }
}

const secondsUntil = (now: number, t: number) => Math.max(1, Math.ceil((t - now) / 1000));

function sendCode(ctx: Ctx, v: VerificationRec) {
  const owner = Object.values(ctx.state.users).find((u) => u.email === v.email);
  codeEmail(ctx.state, ctx.now, v.email, v.code, owner?.username ?? v.email.split('@')[0]!, CODE_TTL_MS / 60_000);
}

function start(ctx: Ctx) {
  const email = normaliseEmail(parseBody(ctx, LinkStartBody).email);
  const { state, now } = ctx;
  const locked = Object.values(state.verifications).find((v) => v.email === email && v.locked_until !== null && v.locked_until > now);
  if (locked) {
    const retry_after_s = secondsUntil(now, locked.locked_until!);
    throw new SandboxError('too_many_attempts', `Too many wrong codes for ${email}. Try again in ${retry_after_s} seconds.`, { retry_after_s });
  }
  const recent = (state.link_starts[email] ?? []).filter((t) => t > now - 3_600_000);
  if (recent.length >= STARTS_PER_HOUR) {
    const retry_after_s = secondsUntil(now, recent[0]! + 3_600_000);
    throw new SandboxError('rate_limit_exceeded', `Too many codes sent to ${email}. Try again in ${retry_after_s} seconds.`, { retry_after_s });
  }
  state.link_starts[email] = [...recent, now];
  const v: VerificationRec = {
    verification_id: nextId(state, 'ver'),
    email,
    code: randomDigits(6),
    status: 'code_sent',
    expires_at: now + CODE_TTL_MS,
    resend_after: now + RESEND_COOLDOWN_MS,
    attempts_left: MAX_ATTEMPTS,
    locked_until: null,
    created_at: now,
  };
  state.verifications[v.verification_id] = v;
  sendCode(ctx, v);
  return verificationView(v);
}

function findVerification(ctx: Ctx, id: string): VerificationRec {
  const v = ctx.state.verifications[id];
  if (!v) throw new SandboxError('not_found', 'Unknown verification. Start again.', { details: { field: 'verification_id' } });
  if (v.status === 'code_sent' && v.expires_at <= ctx.now) v.status = 'expired';
  return v;
}

function assertNotLocked(ctx: Ctx, v: VerificationRec) {
  if (v.status !== 'locked') return;
  const retry_after_s = secondsUntil(ctx.now, v.locked_until ?? ctx.now);
  throw new SandboxError('too_many_attempts', `Too many wrong codes. Try again in ${retry_after_s} seconds.`, { retry_after_s });
}

function resend(ctx: Ctx) {
  const v = findVerification(ctx, parseBody(ctx, LinkResendBody).verification_id);
  assertNotLocked(ctx, v);
  if (v.status === 'verified') throw new SandboxError('invalid_params', 'This verification is already complete.', { details: { field: 'verification_id' } });
  if (ctx.now < v.resend_after) {
    const retry_after_s = secondsUntil(ctx.now, v.resend_after);
    throw new SandboxError('rate_limit_exceeded', `A new code can be sent in ${retry_after_s} seconds.`, { retry_after_s });
  }
  v.code = randomDigits(6);
  v.status = 'code_sent';
  v.expires_at = ctx.now + CODE_TTL_MS;
  v.resend_after = ctx.now + RESEND_COOLDOWN_MS;
  sendCode(ctx, v);
  return verificationView(v);
}

function verify(ctx: Ctx) {
  const body = parseBody(ctx, LinkVerifyBody);
  const v = findVerification(ctx, body.verification_id);
  assertNotLocked(ctx, v);
  if (v.status === 'expired') throw new SandboxError('code_expired', 'This code has expired. Start again to get a new one.');
  if (v.status === 'verified') throw new SandboxError('invalid_params', 'This verification is already complete.', { details: { field: 'verification_id' } });
  if (body.code.trim() !== v.code) {
    v.attempts_left = Math.max(0, v.attempts_left - 1);
    if (v.attempts_left === 0) {
      v.status = 'locked';
      v.locked_until = ctx.now + LOCK_MS;
      throw new SandboxError('too_many_attempts', `Too many wrong codes. Try again in ${LOCK_MS / 1000} seconds.`, { retry_after_s: LOCK_MS / 1000 });
    }
    throw new SandboxError('invalid_code', `That code is not right. ${v.attempts_left} attempts left.`, { details: { attempts_left: v.attempts_left } });
  }
  v.status = 'verified';
  const token = `sess_${randomHex(32)}`;
  ctx.state.sessions[token] = { token, gmail: v.email, expires_at: ctx.now + SESSION_TTL_MS, revoked: false };
  return { session_token: token, session_expires_at: iso(ctx.now + SESSION_TTL_MS), verification: verificationView(v) };
}

function oauthStart(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  const { redirect_uri } = parseBody(ctx, OAuthStartBody);
  const to = new URL(redirect_uri);
  const loopback = to.protocol === 'http:' && (to.hostname === '127.0.0.1' || to.hostname === 'localhost');
  if ((to.protocol !== 'https:' && !loopback) || to.hash) {
    throw new SandboxError('invalid_params', 'redirect_uri must be an https URL (or http on 127.0.0.1) without a fragment.', { details: { field: 'redirect_uri' } });
  }
  const state = `st_${randomHex(24)}`;
  const expires_at = ctx.now + OAUTH_TTL_MS;
  ctx.state.oauth[state] = { state, gmail, redirect_uri, expires_at, code: null, username: null, used: false };
  return { authorize_url: ctx.authorizeUrl({ state, redirect_uri }), state, expires_at: iso(expires_at) };
}

function oauthRecord(ctx: Ctx, state: string) {
  const rec = ctx.state.oauth[state];
  if (!rec) throw new SandboxError('not_found', 'Unknown sign-in attempt. Start the TikTok sign-in again.', { details: { field: 'state' } });
  if (rec.expires_at <= ctx.now || rec.used) throw new SandboxError('code_expired', 'This TikTok sign-in has expired. Start it again.');
  return rec;
}

/** The accounts the sign-in page offers for one OAuth state (creates the account for that Gmail address if needed). */
function oauthAccounts(ctx: Ctx) {
  const rec = oauthRecord(ctx, ctx.url.searchParams.get('state') ?? '');
  const before = Object.keys(ctx.state.users).length;
  accountFor(ctx.state, rec.gmail);
  ctx.dirty = Object.keys(ctx.state.users).length !== before;
  const accounts = Object.values(ctx.state.users)
    .filter((u) => u.signin)
    .map(({ username, display_name, avatar_url, account_type, email }) => ({ username, display_name, avatar_url, account_type, email }));
  return { gmail: rec.gmail, redirect_uri: rec.redirect_uri, accounts };
}

const DecideBody = z.object({
  state: z.string().min(1),
  username: z.string().nullable(),
  /** The scopes left ticked on the consent page (default: all); `user.info.basic` is always granted. */
  scopes: z.array(z.enum(SCOPES as [string, ...string[]])).optional(),
});

function oauthDecide(ctx: Ctx) {
  const body = parseBody(ctx, DecideBody);
  const rec = oauthRecord(ctx, body.state);
  const to = new URL(rec.redirect_uri);
  if (body.username === null) {
    to.searchParams.set('error', 'access_denied');
    to.searchParams.set('error_description', 'The user denied the authorization request.');
  } else {
    if (!ctx.state.users[body.username]?.signin) throw new SandboxError('not_found', `No TikTok account @${body.username} to sign in with.`, { details: { field: 'username' } });
    rec.username = body.username;
    rec.code = `code_${randomHex(24)}`;
    rec.scopes = body.scopes ? SCOPES.filter((s) => s === 'user.info.basic' || body.scopes!.includes(s)) : [...SCOPES];
    to.searchParams.set('code', rec.code);
    to.searchParams.set('scopes', rec.scopes.join(','));
  }
  to.searchParams.set('state', rec.state);
  return { redirect_url: to.toString() };
}

function addLinkEvent(ctx: Ctx, l: LinkRec) {
  addEvent(ctx, { type: 'link.status_changed', link_id: l.link_id, gmail: l.gmail, summary: `@${l.username} is now ${l.status.replace('_', ' ')}`, ref: { username: l.username } });
}

function oauthComplete(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  const body = parseBody(ctx, OAuthCompleteBody);
  const rec = oauthRecord(ctx, body.state);
  if (rec.gmail !== gmail) throw new SandboxError('permission_denied', 'This sign-in was started for another Gmail address.');
  const cb = new URL(body.callback_url);
  const q = cb.searchParams;
  if (q.get('state') !== rec.state) throw new SandboxError('invalid_params', 'The sign-in callback does not belong to this sign-in.', { details: { field: 'callback_url' } });
  const error = q.get('error');
  if (error) {
    rec.used = true;
    throw new SandboxError('permission_denied', `TikTok sign-in was not allowed: ${q.get('error_description') ?? error}`, { details: { reason: error } });
  }
  if (!rec.code || q.get('code') !== rec.code || !rec.username) throw new SandboxError('invalid_params', 'The sign-in callback carries no valid code.', { details: { field: 'callback_url' } });
  const user = ctx.state.users[rec.username]!;
  if (user.email !== gmail) {
    throw new SandboxError('email_mismatch', `@${user.username} is registered with another email address, not ${gmail}.`, { details: { username: user.username } });
  }
  const links = Object.values(ctx.state.links);
  const elsewhere = links.find((l) => l.username === user.username && l.gmail !== gmail && l.status !== 'revoked');
  if (elsewhere) throw new SandboxError('already_linked', `@${user.username} is already linked to another Gmail address.`, { details: { username: user.username } });
  rec.used = true;
  let link = links.find((l) => l.username === user.username && l.gmail === gmail);
  const scopes = rec.scopes ?? [...SCOPES];
  if (link) {
    link.status = 'active';
    link.scopes = scopes;
    link.updated_at = ctx.now;
  } else {
    link = { link_id: nextId(ctx.state, 'lnk'), gmail, username: user.username, status: 'active', scopes, linked_at: ctx.now, updated_at: ctx.now };
    ctx.state.links[link.link_id] = link;
  }
  addLinkEvent(ctx, link);
  return linkView(ctx.state, link);
}

/** The link with that id owned by the session's Gmail address (`not_found` / `permission_denied` otherwise). */
export function ownedLink(ctx: Ctx, id: string, opts: { usable?: boolean } = {}): LinkRec {
  const gmail = sessionGmail(ctx);
  const link = ctx.state.links[id];
  if (!link || link.status === 'revoked') throw new SandboxError('not_found', 'Unknown link.', { details: { field: 'link_id' } });
  if (link.gmail !== gmail) throw new SandboxError('permission_denied', 'This TikTok account is linked to another Gmail address.');
  if (opts.usable && link.status === 'reauth_required') throw new SandboxError('reauth_required', `TikTok needs you to sign in to @${link.username} again.`);
  return link;
}

function listLinks(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  return Object.values(ctx.state.links)
    .filter((l) => l.gmail === gmail && l.status !== 'revoked')
    .sort((a, b) => a.linked_at - b.linked_at)
    .map((l) => linkView(ctx.state, l));
}

function unlink(ctx: Ctx) {
  const link = ownedLink(ctx, param(ctx, 0));
  link.status = 'revoked';
  link.updated_at = ctx.now;
  addLinkEvent(ctx, link);
  const others = Object.values(ctx.state.links).some((l) => l.gmail === link.gmail && l.status !== 'revoked');
  if (!others) for (const s of Object.values(ctx.state.sessions)) if (s.gmail === link.gmail) s.revoked = true;
  return linkView(ctx.state, link);
}

const ReauthBody = z.object({ link_id: z.string().min(1) });
/** Control: TikTok refuses the stored grant of that link from now on. */
function forceReauth(ctx: Ctx) {
  const link = ctx.state.links[parseBody(ctx, ReauthBody).link_id];
  if (!link || link.status === 'revoked') throw new SandboxError('not_found', 'Unknown link.', { details: { field: 'link_id' } });
  link.status = 'reauth_required';
  link.updated_at = ctx.now;
  addLinkEvent(ctx, link);
  return linkView(ctx.state, link);
}

export const linkingRoutes: Route[] = [
  route('POST', '/v1/link/start', start),
  route('POST', '/v1/link/resend', resend),
  route('POST', '/v1/link/verify', verify),
  route('POST', '/v1/tiktok/oauth/start', oauthStart),
  route('POST', '/v1/tiktok/oauth/complete', oauthComplete),
  route('GET', '/v1/links', (ctx) => paginate(ctx, listLinks(ctx))),
  route('GET', '/v1/links/:id', (ctx) => linkView(ctx.state, ownedLink(ctx, param(ctx, 0)))),
  route('DELETE', '/v1/links/:id', unlink),
  route('GET', '/sandbox/oauth/accounts', oauthAccounts),
  route('POST', '/sandbox/oauth/decide', oauthDecide),
  route('POST', '/sandbox/reauth', forceReauth),
];
