/**
 * The server under test, in-process: `startStack({ db })` starts the TikTok emulator, the SMTP sink and the server
 * (on PGlite in a temp folder, or on a database of the shared throwaway PostgreSQL cluster) wired together, and
 * gives helpers that drive it as the extension would: `api` (the service API, envelope unwrapped), `link(gmail,
 * username)` (code email from the SMTP sink → verify → TikTok sign-in → the server's callback → oauth/complete).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer, type ServerOptions } from '../../server/app';
import { loadConfig } from '../../server/config';
import { startPostgres, type Postgres } from '../support/postgres';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator, type TikTokEmulator } from '../support/tiktok-emulator';

export type DbKind = 'pglite' | 'postgres';

let cluster: Promise<Postgres> | null = null;
let dbs = 0;
/** One PostgreSQL cluster per test file (stopped by `stopPostgres`), one fresh database per stack. */
export async function postgresDatabase(): Promise<string> {
  cluster ??= startPostgres();
  return (await cluster).createDatabase(`ttg_${process.pid}_${++dbs}`);
}
/** The shared cluster itself (the fault tests stop and start it). */
export async function postgresCluster(): Promise<Postgres> {
  cluster ??= startPostgres();
  return cluster;
}
export async function stopPostgres(): Promise<void> {
  if (cluster) (await cluster).stop();
  cluster = null;
}

export interface Envelope<T> {
  status: number;
  data: T;
  error: { code: string; message: string; details?: Record<string, unknown>; retry_after_s?: number };
  headers: Headers;
}

export interface Stack {
  server: RunningServer;
  url: string;
  /** The service's clock: `clock.offset` ms ahead of real time. */
  clock: { offset: number; now(): number };
  tiktok: TikTokEmulator;
  smtp: SmtpSink;
  env: Record<string, string>;
  api: Api;
  /** Links `gmail` to the emulator's @username through the whole flow (`without`: scopes not granted); returns the session and the Link. */
  link(gmail: string, username: string, without?: string[]): Promise<{ token: string; link: any }>;
  restart(): Promise<void>;
  /** Another instance on the same database and clock, with a data folder of its own (removed by its `stop`). */
  another(): Promise<RunningServer & { stop(): Promise<void> }>;
  stop(): Promise<void>;
}

export const EXTENSION_REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

/** `server`: options of the server beyond its settings (e.g. the DNS its inbound mail checks use). */
export async function startStack(opts: {
  db: DbKind;
  env?: Record<string, string>;
  log?: (line: string) => void;
  server?: Pick<ServerOptions, 'dnsResolver' | 'rateLimitClock'>;
}): Promise<Stack> {
  const tiktok = await startTikTokEmulator();
  const smtp = await startSmtpSink();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'ttg-server-'));
  const env: Record<string, string> = {
    PORT: '0',
    DATA_DIR: dataDir,
    ...emulatorEnv(tiktok, smtp),
    ...(opts.db === 'postgres' && { DATABASE_URL: await postgresDatabase() }),
    ...opts.env,
  };
  const log = opts.log ?? (process.env.TTG_SERVER_LOG ? (l: string) => console.log(`[server] ${l}`) : () => undefined);
  const clock = { offset: 0, now: () => Date.now() + clock.offset };
  let server = await startServer(loadConfig(env), { log, clock, ...opts.server });
  const stack: Stack = {
    server,
    url: server.url,
    clock,
    tiktok,
    smtp,
    env,
    api: (method, p, body, o) => apiAt(stack.url, method, p, body, o),
    link: (gmail, username, without) => linkVia(stack.url, smtp, tiktok, gmail, username, without),
    async restart() {
      await server.close();
      server = await startServer(loadConfig({ ...env, PORT: new URL(stack.url).port }), { log, clock, ...opts.server });
      stack.server = server;
    },
    async another() {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'ttg-other-'));
      const other = await startServer(loadConfig({ ...env, DATA_DIR: dir }), {
        log: () => undefined,
        clock,
        ...opts.server,
      });
      return Object.assign(other, {
        async stop() {
          await other.close();
          rmSync(dir, { recursive: true, force: true });
        },
      });
    },
    async stop() {
      await server.close();
      await Promise.all([tiktok.stop(), smtp.stop()]);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  tiktok.webhookUrl = `${server.url}/webhooks/tiktok`;
  return stack;
}

export type Api = <T = any>(
  method: string,
  p: string,
  body?: unknown,
  opts?: { token?: string; key?: string },
) => Promise<Envelope<T>>;

/** One service API call at `base`, envelope unwrapped. */
export async function apiAt<T = any>(
  base: string,
  method: string,
  p: string,
  body?: unknown,
  o: { token?: string; key?: string } = {},
): Promise<Envelope<T>> {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(o.token && { authorization: `Bearer ${o.token}` }),
      ...(o.key && { 'idempotency-key': o.key }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as { data: T; error: Envelope<T>['error'] };
  return { status: res.status, data: json.data, error: json.error, headers: res.headers };
}

/** The whole link flow against the server at `base`: code email from the SMTP sink, verify, TikTok sign-in, callback, complete. */
export async function linkVia(
  base: string,
  smtp: SmtpSink,
  tiktok: TikTokEmulator,
  gmail: string,
  username: string,
  without: string[] = [],
): Promise<{ token: string; link: any }> {
  const api: Api = (m, p, b, o) => apiAt(base, m, p, b, o);
  const start = await api('POST', '/v1/link/start', { email: gmail });
  const mail = await smtp.waitFor((m) => m.to.includes(gmail) && /is your verification code/.test(m.subject));
  smtp.mails.splice(smtp.mails.indexOf(mail), 1);
  const code = /^(\d{6})/.exec(mail.subject)![1];
  const verified = await api('POST', '/v1/link/verify', { verification_id: start.data.verification_id, code });
  const token = verified.data.session_token as string;
  return { token, link: await signInVia(base, tiktok, token, username, without) };
}

/** The TikTok sign-in of a session at `base` (as the popup's "Sign in again" does for a link that needs it); returns the Link. */
export async function signInVia(
  base: string,
  tiktok: TikTokEmulator,
  token: string,
  username: string,
  without: string[] = [],
): Promise<any> {
  const api: Api = (m, p, b, o) => apiAt(base, m, p, b, o);
  const started = await api('POST', '/v1/tiktok/oauth/start', { redirect_uri: EXTENSION_REDIRECT }, { token });
  const back = await fetch(tiktok.approve(started.data.authorize_url, username, without), { redirect: 'manual' });
  const done = await api(
    'POST',
    '/v1/tiktok/oauth/complete',
    { state: started.data.state, callback_url: back.headers.get('location')! },
    { token },
  );
  if (done.error.code !== 'ok') throw new Error(`link failed: ${done.error.code} ${done.error.message}`);
  return done.data;
}

/** The settings that put the emulator and the SMTP sink behind the server. */
export function emulatorEnv(tiktok: TikTokEmulator, smtp: SmtpSink): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    TIKTOK_CLIENT_KEY: tiktok.clientKey,
    TIKTOK_CLIENT_SECRET: tiktok.clientSecret,
    TIKTOK_AUTH_URL: tiktok.authUrl,
    TIKTOK_OPEN_API_URL: tiktok.openApiUrl,
    TIKTOK_BUSINESS_API_URL: tiktok.businessApiUrl,
    TIKTOK_TIMEOUT_MS: '1500',
    // Tests poll every 50 ms and link many accounts from 127.0.0.1; the rate-limit tests set their own.
    ...UNLIMITED,
  };
}

/** The settings that connect the server to the emulator's Business Center (Ads), `members` as TIKTOK_BC_MEMBERS. */
export function businessCenterEnv(tiktok: Pick<TikTokEmulator, 'bc'>, members: string): Record<string, string> {
  return {
    TIKTOK_BC_ID: tiktok.bc.bcId,
    TIKTOK_BC_ACCESS_TOKEN: tiktok.bc.accessToken,
    TIKTOK_BC_MEMBERS: members,
    TIKTOK_BC_NAME: 'Ana Brand Studio',
    TIKTOK_BC_POLL_S: '1',
  };
}
/** Rate limits out of the way (tests/server/security-limits.test.ts tests them). */
export const UNLIMITED = { RATE_LIMIT_IP: '1000000', RATE_LIMIT_SESSION: '1000000', RATE_LIMIT_CODES: '1000000' };

/** Polls `fn` until it returns a truthy value (bounded). */
export async function eventually<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 8000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every event of the session at `base`, paging through the feed. */
export async function allEvents(base: string, token: string): Promise<{ type: string; ref: Record<string, string> }[]> {
  const items: { type: string; ref: Record<string, string> }[] = [];
  let cursor = '';
  for (let page = 0; page < 1000; page++) {
    const r = await apiAt(base, 'GET', `/v1/events?limit=100${cursor ? `&cursor=${cursor}` : ''}`, undefined, {
      token,
    });
    if (r.error.code !== 'ok') throw new Error(`events: ${r.error.code}`);
    items.push(...r.data.items);
    if (!r.data.has_more) return items;
    cursor = r.data.cursor;
  }
  return items;
}
