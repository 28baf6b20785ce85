/**
 * The server composed: settings → database (PGlite or PostgreSQL) → the core's ports (SQL store, TikTok's APIs or
 * the simulated TikTok, SMTP or the dev mailbox, clock, random) → the core (`createService`) → hono routes:
 *
 * - `/v1/*`: the service API, handed as is to the core's one HTTP layer (same routes, envelope and errors as the
 *   sandbox); CORS open (sessions are bearer tokens, never cookies);
 * - `GET /oauth/tiktok/callback`: TikTok's redirect (./oauth-callback.ts);
 * - `POST /webhooks/tiktok`: signature and freshness checked on the raw body first, 200 at once (./webhooks.ts);
 * - `GET /healthz`: 200 when the database answers, 503 otherwise; `GET /dev/mailbox` without SMTP;
 * - without a TikTok app: the simulated TikTok and its sign-in page (./simulated.ts).
 *
 * Background work (every 2 s, and at start): sends whose lease ran out (a crash mid-send) are looked for at TikTok
 * and settled (`resumeSends`), and the webhook inbox is processed.
 */
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { randomBytes, randomInt } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createService, type Ingest, type Service } from '../utils/service';
import type { Clock, Mailer, Random, TikTok } from '../utils/service/ports';
import type { Config } from './config';
import { deriveKey, loadSecretKey, secretsFrom, type Secrets } from './crypto';
import { openDatabase, type Database } from './db';
import { startMail } from './mail';
import type { DnsResolver } from './mail/inbound-auth';
import { devMailbox, smtpMailer, type DevMailbox } from './mailer';
import { oauthCallback } from './oauth-callback';
import { simulatedTikTok, type SimulatedTikTok } from './simulated';
import { SqlStore } from './store';
import { Activity } from './tiktok/activity';
import { CALLBACK_PATH, RealTikTok } from './tiktok/adapter';
import { TikTokClient } from './tiktok/client';
import { Webhooks } from './webhooks';

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
  real: { adapter: RealTikTok; webhooks: Webhooks } | null;
  simulated: SimulatedTikTok | null;
}

function tiktokParts(cfg: Config, database: Database, store: SqlStore, secrets: Secrets, clock: Clock, ingest: () => Ingest, log: (l: string) => void): Parts {
  if (!cfg.tiktok) {
    const simulated = simulatedTikTok(cfg.dataDir, clock);
    return { tiktok: simulated.tiktok, real: null, simulated };
  }
  const client = new TikTokClient({ ...cfg.tiktok, openApiUrl: cfg.openApiUrl, businessApiUrl: cfg.businessApiUrl, timeoutMs: cfg.timeoutMs });
  const activity = new Activity(database.db);
  const adapter = new RealTikTok({ signin: cfg.signin, authUrl: cfg.authUrl, pkce: cfg.pkce, publicUrl: '', clientKey: cfg.tiktok.clientKey }, client, secrets, activity, () => clock.now());
  const webhooks = new Webhooks({
    db: database.db, store, activity, client, clientKey: cfg.tiktok.clientKey, clientSecret: cfg.tiktok.clientSecret,
    toleranceS: cfg.webhookToleranceS, now: () => clock.now(), log,
    get ingest() {
      return ingest();
    },
  });
  return { tiktok: adapter, real: { adapter, webhooks }, simulated: null };
}

export interface ServerOptions {
  log?: (line: string) => void;
  /** The service's clock (tests move it past a send's lease); TikTok calls keep real time. */
  clock?: Clock;
  /** DNS for the DKIM/SPF/DMARC checks of inbound mail (tests answer from memory); default: the system's. */
  dnsResolver?: DnsResolver;
}

export async function startServer(cfg: Config, opts: ServerOptions = {}): Promise<RunningServer> {
  const log = opts.log ?? console.log;
  const clock = opts.clock ?? { now: Date.now };
  const secretKey = loadSecretKey(cfg.secretKey, cfg.dataDir, (m) => log(`warning: ${m}`));
  const secrets = secretsFrom(secretKey);
  const database = await openDatabase({ databaseUrl: cfg.databaseUrl, dataDir: cfg.dataDir });
  const store = new SqlStore(database.db, secrets);
  const mailbox: DevMailbox | null = cfg.smtpUrl ? null : devMailbox(log, cfg.mailFrom);
  const mailer: Mailer = mailbox ?? smtpMailer(cfg.smtpUrl!, cfg.mailFrom);
  const app = new Hono();
  let server: ServerType | null = null;
  let publicUrl = cfg.publicUrl ?? '';
  let service: Service | null = null;
  const mail = await startMail({
    app, db: database.db, store, service: () => service!, mailer, from: cfg.mailFrom ?? { name: 'TikTok Gmail Link', email: `notifications@${cfg.reply?.domain ?? 'localhost'}` },
    replyKey: deriveKey(secretKey, 'ttg reply tokens v1'), reply: cfg.reply, notifyDelayS: cfg.notifyDelayS, publicUrl: () => publicUrl, now: () => clock.now(), log,
    ...(opts.dnsResolver && { dnsResolver: opts.dnsResolver }),
  });
  let ingest: Ingest | null = null;
  const notifyingIngest = () => (ingest ??= mail.notifier.ingest(service!.ingest));
  const parts = tiktokParts(cfg, database, store, secrets, clock, notifyingIngest, log);
  service = createService({
    store, tiktok: parts.tiktok, mailer, random, clock,
    about: { name: 'TikTok Gmail Link service', notification_senders: cfg.mailFrom ? [cfg.mailFrom.email] : [], ...mail.about },
    onUnexpected: (e, req) => log(`error: ${req.method} ${new URL(req.url).pathname} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
  });

  app.use('*', cors({ origin: '*', allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'accept'], exposeHeaders: ['retry-after', 'idempotent-replayed'], maxAge: 600 }));
  app.use('*', bodyLimit({ maxSize: 1_000_000, onError: (c) => c.json({ data: null, error: { code: 'invalid_params', message: 'The request body is too large.', log_id: '', details: { field: 'body' } } }, 413) }));
  app.get('/healthz', async (c) => ((await database.ping()) ? c.json({ ok: true, database: database.kind }) : c.json({ ok: false, database: database.kind }, 503)));
  app.all('/v1/*', async (c) => {
    const res = await service!.handle(c.req.raw);
    parts.simulated?.save();
    return res;
  });
  parts.simulated?.routes(app, store);
  if (mailbox) app.get('/dev/mailbox', (c) => c.json({ items: mailbox.list(c.req.query('to')) }));
  if (parts.real) {
    const { adapter, webhooks } = parts.real;
    app.get(CALLBACK_PATH, (c) => oauthCallback(c.req.raw, adapter, store));
    app.post('/webhooks/tiktok', async (c) => {
      const result = await webhooks.receive(await c.req.text(), c.req.header('tiktok-signature'));
      if (result.status !== 200) {
        log(`webhook refused: ${result.reason}`);
        return c.json({ error: result.reason }, 401);
      }
      setImmediate(() => void webhooks.processPending());
      return c.json({ ok: true });
    });
  }

  let ticking = false;
  const tick = async () => {
    if (ticking) return;
    ticking = true;
    try {
      await service!.resumeSends();
      await parts.real?.webhooks.processPending();
      await mail.notifier.flush();
    } catch (e) {
      log(`background work failed, will retry: ${(e as Error).message}`);
    } finally {
      ticking = false;
    }
  };
  const timer = setInterval(() => void tick(), 2000);

  await new Promise<void>((resolve) => {
    server = serve({ fetch: app.fetch, port: cfg.port, hostname: cfg.host }, () => resolve());
  });
  const port = (server!.address() as AddressInfo).port;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  publicUrl ||= url;
  parts.real?.adapter.setPublicUrl(publicUrl);
  parts.simulated?.setPublicUrl(publicUrl);
  void tick();
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
      await new Promise<void>((resolve) => server!.close(() => resolve()));
      await database.close();
    },
  };
}
