/**
 * The server composed: settings → database (PGlite or PostgreSQL) → the core's ports (SQL store, TikTok's APIs or
 * the simulated TikTok, SMTP or the dev mailbox, clock, random) → the core (`createService`) → hono routes:
 *
 * - `/v1/*`: the service API, handed as is to the core's one HTTP layer (same routes, envelope and errors as the
 *   sandbox), behind rate limits per client IP and session (./rate-limit.ts); CORS only for browser-extension
 *   origins (sessions are bearer tokens, never cookies);
 * - `GET /oauth/tiktok/callback`: TikTok's redirect (./oauth-callback.ts);
 * - `POST /webhooks/tiktok`: signature and freshness checked on the raw body first, 200 at once (./webhooks.ts);
 * - `GET /healthz`: 200 when the database answers, 503 otherwise; `GET /dev/mailbox` without SMTP;
 * - without a TikTok app: the simulated TikTok and its sign-in page (./simulated.ts).
 *
 * Background work (every 2 s, and at start): sends whose lease ran out (a crash mid-send) are looked for at TikTok
 * and settled (`resumeSends`), replies by email left pending are followed to their end and the person told when
 * they were not sent (./mail/reply-outcome.ts), the webhook inbox is processed, and pending Ads requests' status is read from the
 * Business Center (every `TIKTOK_BC_POLL_S`), and follower counts from TikTok (every `TIKTOK_STATS_POLL_S`).
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createService, type Ingest, type Service } from '../utils/service';
import type { Clock, Mailer, Random, TikTok } from '../utils/service/ports';
import { parseSecretKey, type Config } from './config';
import { deriveKey, loadSecretKey, secretsFrom, type Secrets } from './crypto';
import { openDatabase, type Database } from './db';
import { startMail } from './mail';
import type { DnsResolver } from './mail/inbound-auth';
import { devMailbox, smtpMailer, type DevMailbox } from './mailer';
import { oauthCallback } from './oauth-callback';
import { simulatedTikTok, type SimulatedTikTok } from './simulated';
import { SqlStore } from './store';
import { Activity } from './tiktok/activity';
import { CALLBACK_PATH, RealTikTok, toPortError } from './tiktok/adapter';
import { BusinessCenter } from './tiktok/business-center';
import { redirectPolicy } from './redirects';
import { TikTokClient } from './tiktok/client';
import { FollowerCounts } from './tiktok/follower-counts';
import { rateLimit } from './rate-limit';
import { Webhooks, type WebhookTx } from './webhooks';

/** CORS for the extension's pages only: the configured origins, or any browser-extension origin; never credentials. */
const corsOrigin = (exact: string[] | null) => (origin: string) =>
  (
    exact
      ? exact.includes(origin)
      : /^(chrome-extension|moz-extension|safari-web-extension):\/\/[a-z0-9-]+$/i.test(origin)
  )
    ? origin
    : null;

const tooLarge = (maxSize: number) =>
  bodyLimit({
    maxSize,
    onError: (c) =>
      c.json(
        {
          data: null,
          error: {
            code: 'invalid_params',
            message: `The request body is larger than ${maxSize / 1000} kB.`,
            log_id: '',
            details: { field: 'body' },
          },
        },
        413,
      ),
  });

/** What every request passes first: CORS, body limits (the API's largest body is a 6,000-character DM; TikTok's webhooks are a few kB), rate limits (stopped by the returned function). */
function guard(app: Hono, cfg: Config, db: Database['db'], clock: Clock, log: (l: string) => void) {
  app.use(
    '*',
    cors({
      origin: corsOrigin(cfg.corsOrigins),
      allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept'],
      exposeHeaders: ['retry-after', 'idempotent-replayed'],
      maxAge: 600,
    }),
  );
  app.use('*', tooLarge(1_000_000));
  app.use('/v1/*', tooLarge(64_000));
  app.use('/webhooks/*', tooLarge(64_000));
  const limits = rateLimit({ limits: cfg.rateLimits, trustProxy: cfg.trustProxy, db, now: () => clock.now(), log });
  app.use('/v1/*', limits.middleware);
  return limits.stop;
}

export interface RunningServer {
  url: string;
  publicUrl: string;
  database: Database;
  service: Service;
  /** The inbound SMTP server's port (INBOUND_SMTP_PORT), null without one. */
  inboundSmtpPort: number | null;
  /** What TikTok tells the server goes here: the core's ingest, with notification emails. */
  ingest: Ingest;
  close(): Promise<void>;
}

const random: Random = {
  hex: (bytes) => randomBytes(bytes).toString('hex'),
  digits: (n) => Array.from({ length: n }, () => randomInt(10)).join(''),
};

interface Parts {
  tiktok: TikTok;
  real: { adapter: RealTikTok; webhooks: Webhooks; followers: FollowerCounts | null } | null;
  simulated: SimulatedTikTok | null;
}

/** `notify`: the core's ingest with notification emails, queued on the same transaction (`tx`) when there is one. */
type Notify = (inner: Ingest, tx?: { db: Database['db']; store: SqlStore }) => Ingest;

function tiktokParts(
  cfg: Config,
  database: Database,
  store: SqlStore,
  secrets: Secrets,
  clock: Clock,
  service: () => Service,
  notify: Notify,
  log: (l: string) => void,
): Parts {
  if (!cfg.tiktok) {
    const simulated = simulatedTikTok(cfg.dataDir, clock);
    return { tiktok: simulated.tiktok, real: null, simulated };
  }
  const client = new TikTokClient({
    ...cfg.tiktok,
    openApiUrl: cfg.openApiUrl,
    businessApiUrl: cfg.businessApiUrl,
    timeoutMs: cfg.timeoutMs,
  });
  const activity = new Activity(database.db);
  const bc =
    cfg.ads && new BusinessCenter(cfg.ads, client, (p) => p.catch((e: unknown) => Promise.reject(toPortError(e))));
  const adapter = new RealTikTok(
    { signin: cfg.signin, authUrl: cfg.authUrl, pkce: cfg.pkce, publicUrl: '', clientKey: cfg.tiktok.clientKey },
    client,
    secrets,
    activity,
    () => clock.now(),
    bc,
  );
  const atomically = <T>(fn: (tx: WebhookTx) => Promise<T>): Promise<T> =>
    database.db.transaction((tx) => {
      const db = tx as unknown as Database['db'];
      const txStore = new SqlStore(db, secrets, true);
      return fn({
        db,
        store: txStore,
        activity: new Activity(db),
        ingest: notify(service().ingestOn(txStore), { db, store: txStore }),
      });
    });
  const webhooks = new Webhooks({
    db: database.db,
    store,
    client,
    clientKey: cfg.tiktok.clientKey,
    clientSecret: cfg.tiktok.clientSecret,
    toleranceS: cfg.webhookToleranceS,
    now: () => clock.now(),
    log,
    atomically,
  });
  const followers = cfg.signin === 'business' ? new FollowerCounts(client, atomically, cfg.statsPollMs, log) : null;
  return { tiktok: adapter, real: { adapter, webhooks, followers }, simulated: null };
}

export interface ServerOptions {
  log?: (line: string) => void;
  /** The service's clock (tests move it past a send's lease); TikTok calls keep real time. */
  clock?: Clock;
  /** DNS for the DKIM/SPF/DMARC checks of inbound mail (tests answer from memory); default: the system's. */
  dnsResolver?: DnsResolver;
  /**
   * The rate limits' clock: real time by default, never the service's `clock` (which tests move back and forth: a
   * bucket shared with other instances would count a clock moved back as calls made).
   */
  rateLimitClock?: Clock;
}

/** The background work, its steps in order, one run at a time; a failed run is retried at the next tick. */
function backgroundWork(log: (l: string) => void, steps: (() => Promise<unknown>)[]): () => Promise<void> {
  let ticking = false;
  return async () => {
    if (ticking) return;
    ticking = true;
    try {
      for (const step of steps) await step();
    } catch (e) {
      log(`background work failed, will retry: ${(e as Error).message}`);
    } finally {
      ticking = false;
    }
  };
}

/** TikTok's redirect after sign-in and its webhooks (verified, stored, 200 at once, processed right after). */
function tiktokRoutes(app: Hono, real: NonNullable<Parts['real']>, store: SqlStore, log: (l: string) => void): void {
  const { adapter, webhooks } = real;
  app.get(CALLBACK_PATH, (c) => oauthCallback(c.req.raw, adapter, store));
  app.post('/webhooks/tiktok', async (c) => {
    const result = await webhooks.receive(await c.req.text(), c.req.header('tiktok-signature'));
    if (result.status !== 200) {
      log(`webhook refused: ${result.reason}`);
      return c.json({ error: result.reason }, 401);
    }
    setImmediate(() =>
      webhooks.processPending().catch((e: Error) => log(`webhook processing failed, will retry: ${e.message}`)),
    );
    return c.json({ ok: true });
  });
}

/** The ports that need no core: secrets, the database and its SQL store, the mailer (the dev mailbox without SMTP). */
async function openAdapters(cfg: Config, log: (l: string) => void) {
  const secretKey = loadSecretKey(cfg.secretKey, cfg.dataDir, (m) => log(`warning: ${m}`));
  const secrets = secretsFrom(secretKey, cfg.secretKeyPrevious ? [parseSecretKey(cfg.secretKeyPrevious)!] : []);
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const store = new SqlStore(database.db, secrets);
  const mailbox: DevMailbox | null = cfg.smtpUrl ? null : devMailbox(log, cfg.mailFrom);
  const mailer: Mailer = mailbox ?? smtpMailer(cfg.smtpUrl!, cfg.mailFrom);
  return { secretKey, secrets, database, store, mailbox, mailer };
}

type Adapters = Awaited<ReturnType<typeof openAdapters>>;

/** What the parts hear only once they exist: the core (the mail and TikTok parts need it) and the URL served on. */
interface Late {
  service: Service | null;
  publicUrl: string;
}

interface CoreEnv {
  clock: Clock;
  log: (l: string) => void;
  dnsResolver: DnsResolver | undefined;
}

/** The core over the adapters, with mail (notifications, reply by email; its routes go on `app`) and TikTok's parts. */
async function composeCore(app: Hono, cfg: Config, a: Adapters, late: Late, env: CoreEnv) {
  const { database, store, mailer } = a;
  const { clock, log } = env;
  const service = () => late.service!;
  const mail = await startMail({
    app,
    db: database.db,
    store,
    service,
    mailer,
    from: cfg.mailFrom ?? { name: 'TikTok Gmail Link', email: `notifications@${cfg.reply?.domain ?? 'localhost'}` },
    replyKey: deriveKey(a.secretKey, 'ttg reply tokens v1'),
    reply: cfg.reply,
    notifyDelayS: cfg.notifyDelayS,
    publicUrl: () => late.publicUrl,
    now: () => clock.now(),
    log,
    ...(env.dnsResolver && { dnsResolver: env.dnsResolver }),
  });
  const notify: Notify = (inner, tx) => mail.notifier.ingest(inner, tx);
  const parts = tiktokParts(cfg, database, store, a.secrets, clock, service, notify, log);
  late.service = createService({
    store,
    tiktok: parts.tiktok,
    mailer,
    random,
    clock,
    sendLeaseMs: cfg.sendLeaseMs,
    about: {
      name: 'TikTok Gmail Link service',
      notification_senders: cfg.mailFrom ? [cfg.mailFrom.email] : [],
      ...mail.about,
    },
    acceptRedirect: redirectPolicy(cfg.extensionIds),
    onUnexpected: (e, req) =>
      log(
        `error: ${req.method} ${new URL(req.url).pathname} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
      ),
  });
  return { mail, parts, service: late.service };
}

/** Every route behind the guard: health, the service API, the simulated TikTok or TikTok's callback and webhooks; stops the rate limits' batches. */
function wireRoutes(
  app: Hono,
  cfg: Config,
  a: Adapters,
  core: { service: Service; parts: Parts; rateLimitClock: Clock },
  log: (l: string) => void,
): () => Promise<void> {
  const { database, store, mailbox } = a;
  const { service, parts } = core;
  const stopLimits = guard(app, cfg, database.db, core.rateLimitClock, log);
  app.get('/healthz', async (c) =>
    (await database.ping())
      ? c.json({ ok: true, database: database.kind })
      : c.json({ ok: false, database: database.kind }, 503),
  );
  app.all('/v1/*', async (c) => {
    const res = await service.handle(c.req.raw);
    parts.simulated?.save();
    return res;
  });
  parts.simulated?.routes(app, store);
  if (mailbox) app.get('/dev/mailbox', (c) => c.json({ items: mailbox.list(c.req.query('to')) }));
  if (parts.real) tiktokRoutes(app, parts.real, store, log);
  return stopLimits;
}

/** Listens on the configured host and port; the server and the URL it answers on (the port chosen when 0). */
async function listen(app: Hono, cfg: Config): Promise<{ server: ServerType; url: string }> {
  const server = await new Promise<ServerType>((resolve) => {
    const s: ServerType = serve({ fetch: app.fetch, port: cfg.port, hostname: cfg.host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return { server, url: `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}` };
}

/** After a SECRET_KEY rotation: every link's tokens sealed again with the new key, in the background. */
function resealAfterRotation(store: SqlStore, log: (l: string) => void): void {
  void store.resealTokens().then(
    (n) => log(`SECRET_KEY rotation: ${n} links sealed again with the new key`),
    (e: Error) => log(`SECRET_KEY rotation will be retried at the next start: ${e.message}`),
  );
}

export async function startServer(cfg: Config, opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? console.log;
  const clock = opts.clock ?? { now: Date.now };
  const adapters = await openAdapters(cfg, log);
  const { database, store } = adapters;
  const app = new Hono();
  const late: Late = { service: null, publicUrl: cfg.publicUrl ?? '' };
  const { mail, parts, service } = await composeCore(app, cfg, adapters, late, {
    clock,
    log,
    dnsResolver: opts.dnsResolver,
  });
  let ingest: Ingest | null = null;
  const notifyingIngest = () => (ingest ??= mail.notifier.ingest(service.ingest));
  const rateLimitClock = opts.rateLimitClock ?? { now: Date.now };
  const stopLimits = wireRoutes(app, cfg, adapters, { service, parts, rateLimitClock }, log);

  const tick = backgroundWork(log, [
    () => service.resumeSends(),
    () => mail.followReplies(),
    async () => parts.real?.webhooks.processPending(),
    async () => parts.real?.adapter.bc?.poll(store, notifyingIngest(), clock.now()),
    async () => parts.real?.followers?.poll(store, clock.now()),
    () => mail.notifier.flush(),
  ]);
  const timer = setInterval(() => void tick(), 2000);

  const { server, url } = await listen(app, cfg);
  const publicUrl = (late.publicUrl ||= url);
  parts.real?.adapter.setPublicUrl(publicUrl);
  parts.simulated?.setPublicUrl(publicUrl);
  void tick();
  if (cfg.secretKeyPrevious) resealAfterRotation(store, log);
  return {
    url,
    publicUrl,
    database,
    service,
    inboundSmtpPort: mail.inboundSmtpPort,
    ingest: notifyingIngest(),
    async close() {
      clearInterval(timer);
      await mail.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopLimits();
      await database.close();
    },
  };
}
