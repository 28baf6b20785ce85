/**
 * The server without a TikTok app (no TIKTOK_CLIENT_KEY): the sandbox's simulated TikTok (utils/sandbox/
 * simulated-tiktok.ts) over its seed world, so a fresh `npm run server` links an account end to end with no TikTok
 * developer account. The world is kept in DATA_DIR/simulated-tiktok.json (saved after each change, so links survive
 * a restart); its sign-in page is `GET /simulated/authorize` (one button per account, plain HTML, every text
 * escaped), which answers like TikTok: a redirect to the extension's redirect URL with `code` and `state`.
 */
import type { Hono } from 'hono';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock, Store, TikTok } from '../utils/service/ports';
import { createSimulatedTikTok } from '../utils/sandbox/simulated-tiktok';
import { accountFor, randomHex, SCOPES, seedState, STATE_VERSION, type SandboxState } from '../utils/sandbox/state';

export const SIMULATED_AUTHORIZE_PATH = '/simulated/authorize';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (status: number, body: string) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Log in | TikTok (simulated)</title></head><body>${body}</body></html>`,
    {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      },
    },
  );

export interface SimulatedTikTok {
  tiktok: TikTok;
  /** Adds the sign-in page to the app. */
  routes(app: Hono, store: Store): void;
  /** Writes the world to DATA_DIR when it changed. */
  save(): void;
  setPublicUrl(url: string): void;
}

export function simulatedTikTok(dataDir: string, clock: Clock): SimulatedTikTok {
  const file = path.join(dataDir, 'simulated-tiktok.json');
  const loaded = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SandboxState) : null;
  const world: SandboxState = loaded?.version === STATE_VERSION ? loaded : seedState(clock.now());
  let publicUrl = '';
  let saved = '';
  const tiktok = createSimulatedTikTok(() => world, clock, {
    authorizeUrl: (q) => `${publicUrl}${SIMULATED_AUTHORIZE_PATH}?${new URLSearchParams({ state: q.state })}`,
  });

  async function openAttempt(store: Store, state: string) {
    const rec = await store.oauth.get(state);
    return rec && !rec.used && rec.expires_at > clock.now() ? rec : null;
  }

  return {
    tiktok,
    setPublicUrl: (url) => void (publicUrl = url),
    save() {
      const now = JSON.stringify(world);
      if (now === saved) return;
      writeFileSync(`${file}.tmp`, now);
      renameSync(`${file}.tmp`, file);
      saved = now;
    },
    routes(app, store) {
      app.get(SIMULATED_AUTHORIZE_PATH, async (c) => {
        const rec = await openAttempt(store, c.req.query('state') ?? '');
        if (!rec) return page(400, '<p>This sign-in has expired. Start it again from the extension.</p>');
        accountFor(world, rec.gmail);
        const buttons = Object.values(world.users)
          .filter((u) => u.signin)
          .sort((a, b) => Number(b.email === rec.gmail) - Number(a.email === rec.gmail))
          .map(
            (u) =>
              `<li><button name="username" value="${esc(u.username)}" data-username="${esc(u.username)}">${esc(u.display_name)} @${esc(u.username)} (${esc(u.account_type)})</button></li>`,
          );
        return page(
          200,
          `<h1>Log in to TikTok (simulated)</h1><p>Signing in for ${esc(rec.gmail)}.</p>
<form method="post"><input type="hidden" name="state" value="${esc(rec.state)}"><ul>${buttons.join('')}</ul><button name="deny" value="1">Cancel</button></form>`,
        );
      });
      app.post(SIMULATED_AUTHORIZE_PATH, async (c) => {
        const form = await c.req.parseBody();
        const rec = await openAttempt(store, String(form.state ?? ''));
        if (!rec) return page(400, '<p>This sign-in has expired. Start it again from the extension.</p>');
        const to = new URL(rec.redirect_uri);
        const username = String(form.username ?? '');
        if (form.deny || !world.users[username]?.signin) {
          to.searchParams.set('error', 'access_denied');
          to.searchParams.set('error_description', 'The user denied the authorization request.');
        } else {
          const code = `code_${randomHex(24)}`;
          world.signin_codes[code] = {
            code,
            username,
            scopes: [...SCOPES],
            redirect_uri: rec.redirect_uri,
            code_verifier: rec.code_verifier,
            expires_at: rec.expires_at,
          };
          to.searchParams.set('code', code);
          to.searchParams.set('scopes', SCOPES.join(','));
        }
        to.searchParams.set('state', rec.state);
        return c.redirect(to.href, 303);
      });
    },
  };
}
