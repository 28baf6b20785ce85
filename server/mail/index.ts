/**
 * Notification emails and reply by email, composed for the server (app.ts calls `startMail` once):
 * - the notifier (./notifier.ts): wraps the core's ingest, `flush()` runs with the background work;
 * - `GET`/`POST /mail/unsubscribe/<token>`: a page with one button, and RFC 8058's one-click POST (a GET never
 *   changes anything, so link scanners cannot unsubscribe anyone);
 * - with REPLY_DOMAIN: `POST /inbound/email` (raw MIME, `Authorization: Bearer INBOUND_SECRET`, at most
 *   INBOUND_MAX_BYTES) and the inbound SMTP server on INBOUND_SMTP_PORT, both into ./inbound.ts.
 * `followReplies()` (with the background work) tells the person how each reply left pending ended (./reply-outcome.ts).
 * `about` is what `GET /v1/service` says: `reply_by_email`, `reply_domain`.
 */
import type { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Service } from '../../utils/service';
import type { Mailer, Store } from '../../utils/service/ports';
import type { ReplyConfig } from '../config';
import type { Db } from '../db';
import { InboundMail } from './inbound';
import type { DnsResolver, InboundAuth } from './inbound-auth';
import { startInboundSmtp, type InboundSmtp } from './inbound-smtp';
import type { Sender } from './notification-email';
import { Notifier } from './notifier';
import { PendingReplies } from './reply-outcome';
import { MailThreads } from './threads';

interface MailParts {
  notifier: Notifier;
  inboundSmtpPort: number | null;
  /** One round of following the replies by email whose TikTok answer was unknown; how many ended. */
  followReplies(): Promise<number>;
  about: { reply_by_email: boolean; reply_domain: string | null };
  close(): Promise<void>;
}

interface MailDeps {
  app: Hono;
  db: Db;
  store: Store;
  service: () => Service;
  mailer: Mailer;
  from: Sender;
  replyKey: Buffer;
  reply: ReplyConfig | null;
  notifyDelayS: number;
  publicUrl: () => string;
  now: () => number;
  log: (line: string) => void;
  dnsResolver?: DnsResolver;
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (status: number, body: string) =>
  new Response(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>TikTok Gmail Link emails</title></head><body><main>${body}</main></body></html>`,
    {
      status,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': "default-src 'none'; form-action 'self'; frame-ancestors 'none'",
      },
    },
  );

const sameSecret = (given: string, secret: string) =>
  timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(secret).digest());

function unsubscribeRoutes(app: Hono, notifier: Notifier): void {
  app.get('/mail/unsubscribe/:token', (c) =>
    page(
      200,
      `<h1>Stop these emails?</h1><form method="post"><button type="submit">Turn them off</button></form><p>You can turn them on again in the extension's options.</p>`,
    ),
  );
  app.post('/mail/unsubscribe/:token', async (c) => {
    const done = await notifier.unsubscribe(c.req.param('token'));
    if (!done)
      return page(
        404,
        "<h1>This link is not valid any more.</h1><p>Change which emails you get in the extension's options.</p>",
      );
    return page(
      200,
      `<h1>Done</h1><p>No more emails about ${esc(done.kind)} for @${esc(done.link.tiktok.username)}. Turn them on again in the extension's options.</p>`,
    );
  });
}

function inboundAuth(reply: ReplyConfig, dnsResolver: DnsResolver | undefined): InboundAuth {
  if (reply.auth === 'relay') return { mode: 'relay', authservId: reply.trustedRelay! };
  return reply.auth === 'off' ? { mode: 'off' } : { mode: 'dmarc', ...(dnsResolver && { resolver: dnsResolver }) };
}

/** `POST /inbound/email`: raw MIME from a mail provider, with the shared secret, at most `maxBytes`. */
function inboundHttpRoute(app: Hono, secret: string, maxBytes: number, inbound: InboundMail): void {
  app.post(
    '/inbound/email',
    bodyLimit({ maxSize: maxBytes, onError: (c) => c.json({ error: `larger than ${maxBytes} bytes` }, 413) }),
    async (c) => {
      const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
      if (!sameSecret(given, secret)) return c.json({ error: 'unauthorized' }, 401);
      const result = await inbound.receive(Buffer.from(await c.req.arrayBuffer()), {});
      return c.json(result);
    },
  );
}

/** Registers the mail routes on `app` (before the API's own body limit, as inbound mail has its own) and starts what runs. */
export async function startMail(d: MailDeps): Promise<MailParts> {
  const threads = new MailThreads(d.db);
  const notifier = new Notifier({
    threads,
    store: d.store,
    service: d.service,
    mailer: d.mailer,
    from: d.from,
    replyKey: d.replyKey,
    replyDomain: d.reply?.domain ?? null,
    publicUrl: d.publicUrl,
    delayMs: d.notifyDelayS * 1000,
    now: d.now,
    log: d.log,
  });
  unsubscribeRoutes(d.app, notifier);
  const pending = new PendingReplies({
    db: d.db,
    store: d.store,
    threads,
    notifier,
    mailer: d.mailer,
    from: d.from,
    log: d.log,
  });
  const followReplies = () => pending.followPending();
  const reply = d.reply;
  if (!reply)
    return {
      notifier,
      followReplies,
      inboundSmtpPort: null,
      about: { reply_by_email: false, reply_domain: null },
      close: async () => undefined,
    };
  if (reply.auth === 'off')
    d.log(
      'warning: INBOUND_AUTH=off: inbound replies are NOT authenticated (anyone can send as the linked address). For local tests only.',
    );
  const inbound = new InboundMail({
    db: d.db,
    store: d.store,
    threads,
    notifier,
    service: d.service,
    mailer: d.mailer,
    from: d.from,
    replyKey: d.replyKey,
    replyDomain: reply.domain,
    auth: inboundAuth(reply, d.dnsResolver),
    maxBytes: reply.maxBytes,
    now: d.now,
    log: d.log,
  });
  if (reply.secret) inboundHttpRoute(d.app, reply.secret, reply.maxBytes, inbound);
  const smtp: InboundSmtp | null =
    reply.smtpPort === null
      ? null
      : await startInboundSmtp({
          host: reply.smtpHost,
          port: reply.smtpPort,
          domain: reply.domain,
          replyKey: d.replyKey,
          maxBytes: reply.maxBytes,
          inbound,
          log: d.log,
        });
  return {
    notifier,
    followReplies,
    inboundSmtpPort: smtp?.port ?? null,
    about: { reply_by_email: true, reply_domain: reply.domain },
    close: async () => smtp?.close(),
  };
}
