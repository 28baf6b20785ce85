/**
 * Signing in to TikTok: `oauth/start` records the attempt (single-use `state`, PKCE verifier, 10 minutes) and
 * returns TikTok's authorize URL; `oauth/complete` takes the URL the auth window ended on (or the code the
 * deployment's own callback kept), exchanges the code, reads the account and makes the link. Only the session that
 * started an attempt may complete it (`permission_denied`). A denied consent is `permission_denied` (`details.reason`); an unknown state `not_found`; an expired or used one `code_expired`; a
 * callback of another attempt `invalid_params` (`details.field = 'callback_url'`). `email_mismatch` only where TikTok
 * tells the account's email; `already_linked` when another Gmail address holds the account. Signing in again to an
 * account the Gmail address linked before (`reauth_required`, or unlinked) makes the same link active again, with its
 * id: the outbox's sends are keyed by link and Idempotency-Key, so a retry after the re-link finds its earlier attempt.
 */
import { OAuthCompleteBody, OAuthStartBody } from '../api/schemas';
import { type Ctx, iso, newId, parseBody, route, type Route, sessionGmail } from './context';
import { fromTikTok, invalidField, ServiceError } from './errors';
import { addLinkEvent, linkView } from './links';
import { TikTokError, type LinkRecord, type OAuthAttemptRecord, type TikTokGrant } from './ports';

export const OAUTH_TTL_MS = 10 * 60_000;

/** A deployment's own rule for the extension's redirect (the server's allow-list): null when accepted, else why not. */
export type RedirectCheck = (redirect_uri: string) => string | null;

/** SHA-256 (hex) of a session token, so an attempt names the session that started it without holding the token. */
async function sessionHash(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

async function oauthStart(ctx: Ctx, accept: RedirectCheck | undefined) {
  const gmail = await sessionGmail(ctx);
  const { redirect_uri } = parseBody(ctx, OAuthStartBody);
  const to = new URL(redirect_uri);
  const loopback = to.protocol === 'http:' && (to.hostname === '127.0.0.1' || to.hostname === 'localhost');
  if ((to.protocol !== 'https:' && !loopback) || to.hash)
    throw invalidField('redirect_uri', 'redirect_uri must be an https URL (or http on 127.0.0.1) without a fragment.');
  const refused = accept?.(redirect_uri);
  if (refused) throw invalidField('redirect_uri', refused);
  const rec: OAuthAttemptRecord = {
    state: `st_${ctx.random.hex(12)}`,
    gmail,
    redirect_uri,
    code_verifier: ctx.random.hex(32),
    expires_at: ctx.now + OAUTH_TTL_MS,
    used: false,
    session_hash: await sessionHash(ctx.token!),
  };
  await ctx.store.oauth.put(rec);
  return { authorize_url: ctx.tiktok.authorizeUrl(rec), state: rec.state, expires_at: iso(rec.expires_at) };
}

/** The attempt of `state` while it can still be completed. */
export async function openAttempt(ctx: Pick<Ctx, 'store' | 'now'>, state: string): Promise<OAuthAttemptRecord> {
  const rec = await ctx.store.oauth.get(state);
  if (!rec)
    throw new ServiceError('not_found', 'Unknown sign-in attempt. Start the TikTok sign-in again.', {
      details: { field: 'state' },
    });
  if (rec.expires_at <= ctx.now || rec.used)
    throw new ServiceError('code_expired', 'This TikTok sign-in has expired. Start it again.');
  return rec;
}

const noCode = () => invalidField('callback_url', 'The sign-in callback carries no valid code.');

async function exchange(ctx: Ctx, rec: OAuthAttemptRecord, code: string): Promise<TikTokGrant> {
  try {
    return await ctx.tiktok.exchangeCode({ code, redirect_uri: rec.redirect_uri, code_verifier: rec.code_verifier });
  } catch (e) {
    if (e instanceof TikTokError && e.code === 'invalid_grant') throw noCode();
    throw fromTikTok(e);
  }
}

async function oauthComplete(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const body = parseBody(ctx, OAuthCompleteBody);
  const rec = await openAttempt(ctx, body.state);
  if (rec.gmail !== gmail)
    throw new ServiceError('permission_denied', 'This sign-in was started for another Gmail address.');
  if (rec.session_hash && rec.session_hash !== (await sessionHash(ctx.token!)))
    throw new ServiceError('permission_denied', 'This sign-in was started by another session.');
  const q = new URL(body.callback_url).searchParams;
  if (q.get('state') !== rec.state)
    throw invalidField('callback_url', 'The sign-in callback does not belong to this sign-in.');
  const error = rec.callback_error ?? q.get('error');
  if (error) {
    await ctx.store.oauth.put({ ...rec, used: true });
    throw new ServiceError(
      'permission_denied',
      `TikTok sign-in was not allowed: ${q.get('error_description') ?? error}`,
      { details: { reason: error } },
    );
  }
  const code = rec.callback_code ?? q.get('code');
  if (!code) throw noCode();
  const grant = await exchange(ctx, rec, code);
  const account = await ctx.tiktok.account(grant).catch((e: unknown) => {
    throw fromTikTok(e);
  });
  const { email, ...tiktok } = account;
  if (email != null && email !== gmail) {
    throw new ServiceError(
      'email_mismatch',
      `@${tiktok.username} is registered with another email address, not ${gmail}.`,
      { details: { username: tiktok.username } },
    );
  }
  const link = await ctx.store.transaction(async (tx) => {
    const held = (await tx.links.find({ open_id: tiktok.open_id })).filter((l) => l.status !== 'revoked');
    if (held.some((l) => l.gmail !== gmail))
      throw new ServiceError('already_linked', `@${tiktok.username} is already linked to another Gmail address.`, {
        details: { username: tiktok.username },
      });
    await tx.oauth.put({ ...rec, used: true });
    const mine = (await tx.links.find({ open_id: tiktok.open_id, gmail }))[0];
    const next: LinkRecord = mine
      ? { ...mine, status: 'active', tiktok, grant, updated_at: ctx.now }
      : { link_id: newId(ctx, 'lnk'), gmail, status: 'active', tiktok, grant, linked_at: ctx.now, updated_at: ctx.now };
    await tx.links.put(next);
    await addLinkEvent(ctx, tx, next);
    return next;
  });
  return linkView(ctx.tiktok, link);
}

export const oauthRoutes = (accept?: RedirectCheck): Route[] => [
  route('POST', '/v1/tiktok/oauth/start', (ctx) => oauthStart(ctx, accept)),
  route('POST', '/v1/tiktok/oauth/complete', oauthComplete),
];
