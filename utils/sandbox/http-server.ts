/**
 * The sandbox over HTTP on the loopback interface (tests, demos, anyone building a real service): node:http in front
 * of the one `handle(Request) → Response` implementation.
 *
 * - CORS for any origin (the extension's service worker fetches it), preflight included.
 * - `GET /sandbox/oauth/authorize?state=&redirect_uri=`: TikTok's sign-in and consent page, rendered on the server
 *   (every text escaped); its buttons post to the same URL, which answers with a redirect to the extension's
 *   redirect URL (`?code=..&state=..` or `?error=access_denied&..`), where `launchWebAuthFlow` ends.
 * - The `drop` fault destroys the socket after the request acted.
 * - Binds to 127.0.0.1 unless told otherwise.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSandbox, DroppedConnection, type Sandbox, type SandboxState } from './index';
import { SCOPES } from './state';

export interface SandboxServer {
  /** The base URL, e.g. `http://127.0.0.1:8787` (no trailing slash). */
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

export interface SandboxServerOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** A state to start from instead of the seeds. */
  state?: SandboxState;
  now?: () => number;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, idempotency-key, accept',
  'access-control-expose-headers': 'retry-after, idempotent-replayed',
  'access-control-max-age': '600',
};

const AUTHORIZE_PATH = '/sandbox/oauth/authorize';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_000_000) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** What each optional scope lets the app do, as the consent page says it (`user.info.basic` is always granted). */
const SCOPE_LABELS: Record<string, string> = {
  'user.info.profile': 'Read your profile info (bio, profile link, verification)',
  'video.list': 'Read your public videos',
  'comment.list': 'Read comments on your videos',
  'comment.reply': 'Reply to comments on your videos',
  'direct_message.read': 'Read your direct messages',
  'direct_message.send': 'Send direct messages for you',
  'follow.write': 'Follow accounts for you',
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface SignInAccount {
  username: string;
  display_name: string;
  account_type: string;
  email: string;
}

function signInPage(gmail: string, accounts: SignInAccount[], action: string): string {
  const own = accounts.filter((a) => a.email === gmail);
  const others = accounts.filter((a) => a.email !== gmail);
  const row = (a: SignInAccount) => `
      <li><button type="submit" name="username" value="${escapeHtml(a.username)}" data-username="${escapeHtml(a.username)}">
        <strong>${escapeHtml(a.display_name)}</strong> <span>@${escapeHtml(a.username)}</span>
        <small>${escapeHtml(a.account_type)} · ${escapeHtml(a.email)}</small>
      </button></li>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Log in | TikTok (sandbox)</title>
<style>
  body { font: 15px/1.4 system-ui, sans-serif; margin: 0; background: #f1f1f2; color: #161823; }
  main { max-width: 440px; margin: 32px auto; background: #fff; border-radius: 8px; padding: 24px; }
  h1 { font-size: 22px; margin: 0 0 4px; } p { color: #555; margin: 0 0 16px; }
  ul { list-style: none; padding: 0; margin: 0 0 16px; } li { margin: 0 0 8px; }
  li button { width: 100%; text-align: left; padding: 10px 12px; border: 1px solid #ddd; border-radius: 6px; background: #fff; cursor: pointer; font: inherit; }
  li button:hover { border-color: #fe2c55; } small { display: block; color: #777; }
  h2 { font-size: 13px; text-transform: uppercase; color: #777; margin: 16px 0 8px; }
  .scopes li { margin: 0 0 4px; color: #333; }
  .deny { padding: 10px 16px; border: 0; border-radius: 6px; background: #eee; font: inherit; cursor: pointer; }
</style></head>
<body><main>
  <h1>Log in to TikTok</h1>
  <p>TikTok Gmail Link wants to access your TikTok account (profile, messages, comments). Signing in for <strong>${escapeHtml(gmail)}</strong>.</p>
  <form method="post" action="${escapeHtml(action)}">
    <h2>Your account</h2>
    <ul>${own.map(row).join('')}</ul>
    ${others.length ? `<h2>Other accounts on this device</h2><ul>${others.map(row).join('')}</ul>` : ''}
    <h2>TikTok Gmail Link will be able to</h2>
    <input type="hidden" name="scopes_shown" value="1">
    <ul class="scopes">
      <li><label><input type="checkbox" checked disabled> Read your profile info (avatar, display name)</label></li>
      ${SCOPES.filter((s) => s !== 'user.info.basic')
        .map(
          (s) =>
            `<li><label><input type="checkbox" name="scope" value="${escapeHtml(s)}" checked> ${escapeHtml(SCOPE_LABELS[s] ?? s)}</label></li>`,
        )
        .join('')}
    </ul>
    <button class="deny" type="submit" name="deny" value="1">Cancel</button>
  </form>
</main></body></html>`;
}

function messagePage(status: number, text: string): { status: number; html: string } {
  return {
    status,
    html: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>TikTok (sandbox)</title></head><body><p>${escapeHtml(text)}</p></body></html>`,
  };
}

function sendHtml(res: ServerResponse, page: { status: number; html: string }) {
  res.writeHead(page.status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  });
  res.end(page.html);
}

/** One HTTP request through the sandbox's `handle`, its answer written back with CORS; a `drop` fault drops the socket. */
async function forward(sandbox: Sandbox, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
  const headers = new Headers();
  for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
  let answer: Response;
  try {
    answer = await sandbox.handle(
      new Request(url, { method: req.method, headers, ...(body !== undefined && { body }) }),
    );
  } catch (e) {
    if (e instanceof DroppedConnection) {
      req.socket.destroy();
      return;
    }
    throw e;
  }
  const out: Record<string, string> = { ...CORS };
  answer.headers.forEach((v, k) => (out[k] = v));
  res.writeHead(answer.status, out);
  res.end(Buffer.from(await answer.arrayBuffer()));
}

/** A control call through the sandbox itself, unwrapped. */
async function internal<T>(
  sandbox: Sandbox,
  base: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ data: T | null; message: string }> {
  const res = await sandbox.handle(
    new Request(base + path, {
      method,
      ...(body !== undefined && { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    }),
  );
  const json = (await res.json()) as { data: T | null; error: { message: string } };
  return { data: json.data, message: json.error.message };
}

/** TikTok's sign-in and consent page: GET renders it, POST (its buttons) redirects to the extension's redirect URL. */
async function authorizePage(
  sandbox: Sandbox,
  base: string,
  req: IncomingMessage,
  url: URL,
  res: ServerResponse,
): Promise<void> {
  const state = url.searchParams.get('state') ?? '';
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const username = form.get('deny') ? null : form.get('username');
    const scopes = form.get('scopes_shown') ? form.getAll('scope') : undefined;
    const out = await internal<{ redirect_url: string }>(sandbox, base, 'POST', '/sandbox/oauth/decide', {
      state,
      username,
      ...(scopes && { scopes }),
    });
    if (!out.data) return sendHtml(res, messagePage(400, out.message));
    res.writeHead(303, { location: out.data.redirect_url, 'cache-control': 'no-store' });
    res.end();
    return;
  }
  const out = await internal<{ gmail: string; accounts: SignInAccount[] }>(
    sandbox,
    base,
    'GET',
    `/sandbox/oauth/accounts?${new URLSearchParams({ state })}`,
  );
  if (!out.data) return sendHtml(res, messagePage(400, out.message));
  sendHtml(res, {
    status: 200,
    html: signInPage(out.data.gmail, out.data.accounts, `${AUTHORIZE_PATH}?${url.searchParams}`),
  });
}

/** One HTTP request: a CORS preflight, the sign-in page, or the sandbox's `handle`. */
async function route(sandbox: Sandbox, base: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', base);
  if (req.method === 'OPTIONS') {
    // Chrome's Private Network Access asks before a public https page (a routed Gmail page) may call loopback.
    res.writeHead(204, { ...CORS, 'access-control-allow-private-network': 'true' });
    res.end();
    return;
  }
  if (url.pathname === AUTHORIZE_PATH && (req.method === 'GET' || req.method === 'POST'))
    return authorizePage(sandbox, base, req, url, res);
  await forward(sandbox, url, req, res);
}

/** A request that failed outside the sandbox's own envelope: a 500 in that envelope, or a dropped socket if too late. */
function serverFailed(res: ServerResponse, e: unknown): void {
  if (res.headersSent) return void res.destroy();
  res.writeHead(500, { 'content-type': 'application/json', ...CORS });
  res.end(
    JSON.stringify({
      data: null,
      error: {
        code: 'internal_error',
        message: `The sandbox server failed: ${e instanceof Error ? e.message : String(e)}`,
        log_id: 'http',
      },
    }),
  );
}

export async function startSandboxServer(opts: SandboxServerOptions = {}): Promise<SandboxServer> {
  const host = opts.host ?? '127.0.0.1';
  let base = '';
  const sandbox = createSandbox({
    authorizeUrl: (q) =>
      `${base}${AUTHORIZE_PATH}?${new URLSearchParams({ state: q.state, redirect_uri: q.redirect_uri })}`,
    ...(opts.now && { now: opts.now }),
    ...(opts.state && { initial: opts.state }),
  });

  const server = createServer((req, res) => {
    void route(sandbox, base, req, res).catch((e: unknown) => serverFailed(res, e));
  });
  server.keepAliveTimeout = 1_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  base = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  return {
    url: base,
    sandbox,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
