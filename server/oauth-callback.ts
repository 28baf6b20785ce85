/**
 * `GET /oauth/tiktok/callback`: where TikTok sends the browser after sign-in (the one static `redirect_uri` to
 * register). The `state` must carry the server's signature (checked before any lookup) and name an open, unanswered
 * attempt. The code stays on the server (sealed in the attempt, single use); the browser is redirected (302) to the
 * extension's own `redirect_uri` given at `oauth/start`, carrying `state` — and `error` if TikTok sent one — but
 * never the code. `oauth/complete` then exchanges it.
 */
import type { Store } from '../utils/service/ports';
import type { RealTikTok } from './tiktok/adapter';

const page = (status: number, text: string) =>
  new Response(`<!doctype html><meta charset="utf-8"><title>TikTok sign-in</title><p>${text}</p>`, {
    status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
  });

export async function oauthCallback(
  req: Request,
  tiktok: Pick<RealTikTok, 'verifyState'>,
  store: Store,
): Promise<Response> {
  const q = new URL(req.url).searchParams;
  const state = tiktok.verifyState(q.get('state') ?? '');
  if (!state) return page(400, 'This sign-in link is not valid. Start the TikTok sign-in again from the extension.');
  const rec = await store.oauth.get(state);
  if (!rec || rec.used || rec.expires_at <= Date.now() || rec.callback_code || rec.callback_error) {
    return page(
      400,
      'This sign-in has expired or was already used. Start the TikTok sign-in again from the extension.',
    );
  }
  const code = q.get('code');
  const error = q.get('error') ?? (code ? null : 'missing_code');
  await store.oauth.put({ ...rec, callback_code: error ? null : code, callback_error: error });
  const to = new URL(rec.redirect_uri);
  to.searchParams.set('state', rec.state);
  if (error) {
    to.searchParams.set('error', error);
    to.searchParams.set(
      'error_description',
      (q.get('error_description') ?? 'TikTok sign-in did not complete.').slice(0, 300),
    );
  }
  return new Response(null, {
    status: 302,
    headers: { location: to.href, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' },
  });
}
