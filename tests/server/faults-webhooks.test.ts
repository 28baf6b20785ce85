/**
 * Faults at scale (issue 17): 1,000 TikTok events (700 DMs, 300 comments), each delivered twice — the copies shuffled,
 * spread over two server processes on one PostgreSQL, a tenth of them late (signed two minutes earlier) — while one
 * instance is killed with `kill -9`; what could not be delivered to it is delivered again, as TikTok retries. Every
 * event must appear once in `/v1/events`, none lost. Then PostgreSQL is stopped: webhooks must get a 5xx (so TikTok
 * redelivers them), never a 200 that loses the event; once it is back, the redeliveries make their events.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { startSmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator, type WebhookEvent } from '../support/tiktok-emulator';
import {
  allEvents,
  emulatorEnv,
  eventually,
  linkVia,
  postgresCluster,
  postgresDatabase,
  stopPostgres,
} from './harness';
import { startInstances } from './processes';

afterAll(stopPostgres);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Deterministic shuffle (a small LCG), so a failure can be replayed. */
function shuffled<T>(items: T[], seed = 17): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

async function post(
  url: string,
  event: WebhookEvent,
  sign: (body: string, t?: number) => string,
  signedAt?: number,
): Promise<number> {
  const body = JSON.stringify(event);
  try {
    const res = await fetch(`${url}/webhooks/tiktok`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'tiktok-signature': sign(body, signedAt) },
      body,
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0; // no answer: TikTok will deliver it again
  }
}

it('2,000 deliveries (each event twice, late, out of order) while an instance dies: each event once; the database down: 5xx', async () => {
  const started = Date.now();
  const tiktok = await startTikTokEmulator();
  const smtp = await startSmtpSink();
  const pg = await postgresCluster();
  const base = {
    ...emulatorEnv(tiktok, smtp),
    DATABASE_URL: await postgresDatabase(),
    SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const { procs, stop } = await startInstances(2, base);
  const urls = procs.map((p) => p.url);
  const sign = (body: string, t?: number) => tiktok.sign(body, t);
  try {
    const maya = tiktok.addAccount({ username: 'maya.creates' });
    const { token } = await linkVia(urls[0]!, smtp, tiktok, 'alex@gmail.com', 'maya.creates');
    const dms = Array.from({ length: 700 }, (_, i) =>
      tiktok.incomingMessage(maya, { username: `fan.${i}` }, `hello ${i}`),
    );
    const comments = Array.from({ length: 300 }, (_, i) =>
      tiktok.incomingComment(maya, { username: `viewer.${i}` }, `nice video ${i}`),
    );
    const events = [...dms.map((d) => d.webhook), ...comments.map((c) => c.webhook)];
    const deliveries = shuffled(
      events.flatMap((e, i) => [
        { e, late: false, n: i },
        { e, late: i % 10 === 0, n: i },
      ]),
    );

    let sent = 0;
    let redelivered = 0;
    const killAt = Math.floor(deliveries.length * 0.4);
    const queue = [...deliveries];
    const failed: typeof deliveries = [];
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let d = queue.shift(); d; d = queue.shift()) {
          if (++sent === killAt) void procs[1]!.kill();
          const status = await post(
            urls[d.n % 2]!,
            d.e,
            sign,
            d.late ? Math.floor(Date.now() / 1000) - 120 : undefined,
          );
          if (status !== 200) failed.push(d);
        }
      }),
    );
    // TikTok retries what was not answered 200: to the instance that is still up.
    for (const d of failed) {
      expect(await post(urls[0]!, d.e, sign)).toBe(200);
      redelivered++;
    }

    const received = async () => {
      const items = await allEvents(urls[0]!, token);
      return {
        dms: items.filter((e) => e.type === 'message.received'),
        comments: items.filter((e) => e.type === 'comment.received'),
      };
    };
    // Rows the killed instance had claimed are taken over when their 30 s lease ends.
    await eventually(async () => {
      const r = await received();
      return r.dms.length >= dms.length && r.comments.length >= comments.length;
    }, 90_000);
    await sleep(2500);
    const once = await received();
    const countBy = (xs: { ref: Record<string, string> }[], k: string) => new Set(xs.map((x) => x.ref[k])).size;
    expect(once.dms).toHaveLength(dms.length);
    expect(countBy(once.dms, 'conversation_id')).toBe(dms.length);
    expect(once.comments).toHaveLength(comments.length);
    expect(countBy(once.comments, 'comment_id')).toBe(comments.length);

    // The database down: 5xx, never 200. Back up: the redeliveries make their events.
    const more = Array.from(
      { length: 20 },
      (_, i) => tiktok.incomingMessage(maya, { username: `late.fan.${i}` }, `while down ${i}`).webhook,
    );
    pg.down();
    let statusesDown: number[] = [];
    try {
      statusesDown = await Promise.all(more.map((e) => post(urls[0]!, e, sign)));
    } finally {
      pg.up();
    }
    expect(statusesDown.filter((s) => s === 200)).toEqual([]);
    expect(statusesDown.every((s) => s >= 500)).toBe(true);
    await eventually(
      async () => (await Promise.all(more.map((e) => post(urls[0]!, e, sign)))).every((s) => s === 200),
      30_000,
    );
    await eventually(async () => (await received()).dms.length === dms.length + more.length, 30_000);
    console.log(
      `faults, webhooks: ${events.length} events, ${deliveries.length} deliveries (${deliveries.filter((d) => d.late).length} late, shuffled, 2 instances), kill -9 after ${killAt}, ${failed.length} unanswered and redelivered (${redelivered}): ${once.dms.length + once.comments.length} events, each once; database down: ${statusesDown.length}/${more.length} webhooks answered ${[...new Set(statusesDown)].join('/')}, all made once after it came back; ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    await stop();
    await Promise.all([tiktok.stop(), smtp.stop()]);
  }
}, 400_000);
