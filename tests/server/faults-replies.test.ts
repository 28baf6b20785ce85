/**
 * Faults at scale (issue 17): 1,000 replies sent by clients that behave like the extension's outbox (one
 * Idempotency-Key per reply, retried on 429, 5xx and network failures, round-robin over the instances) through two
 * server processes on one PostgreSQL, while the TikTok emulator answers a fifth of its DM calls with a 5xx, 429,
 * 40100, a timeout or a dropped connection (before or after acting), one instance is killed with `kill -9` midway and
 * started again, and PostgreSQL is stopped and started once. Every reply must reach TikTok exactly once (counted at
 * the emulator), none may be lost, and replaying each Idempotency-Key must answer the first result.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect, it } from 'vitest';
import { startSmtpSink } from '../support/smtp-sink';
import { startTikTokEmulator } from '../support/tiktok-emulator';
import {
  allEvents,
  apiAt,
  emulatorEnv,
  eventually,
  linkVia,
  postgresCluster,
  postgresDatabase,
  stopPostgres,
} from './harness';
import { startInstances, startProcess } from './processes';

afterAll(stopPostgres);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REPLIES = 1000;
const PER_CONVERSATION = 8; // under TikTok's 10 unanswered messages per window
const WORKERS = 16;

it('1,000 replies through 2 instances, 20 % TikTok faults, kill -9 and a PostgreSQL restart: each reaches TikTok once', async () => {
  const started = Date.now();
  const tiktok = await startTikTokEmulator();
  const smtp = await startSmtpSink();
  const pg = await postgresCluster();
  const base = {
    ...emulatorEnv(tiktok, smtp),
    DATABASE_URL: await postgresDatabase(),
    SECRET_KEY: randomBytes(32).toString('hex'),
    TIKTOK_TIMEOUT_MS: '1000',
    SEND_LEASE_S: '4',
  };
  const { envs, procs, stop } = await startInstances(2, base);
  const urls = procs.map((p) => p.url);
  try {
    tiktok.webhookUrl = `${urls[0]}/webhooks/tiktok`; // echoes go to the instance that stays up
    const maya = tiktok.addAccount({ username: 'maya.creates' });
    const { token, link } = await linkVia(urls[0]!, smtp, tiktok, 'alex@gmail.com', 'maya.creates');
    const conversations: string[] = [];
    for (let i = 0; i < REPLIES / PER_CONVERSATION; i++) {
      const dm = tiktok.incomingMessage(maya, { username: `fan.${i}` }, `hello ${i}`);
      conversations.push(dm.message.conversation_id);
      await tiktok.deliver(dm.webhook);
    }
    await eventually(
      async () =>
        (await allEvents(urls[0]!, token)).filter((e) => e.type === 'message.received').length === conversations.length,
      60_000,
    );

    const replies = conversations.flatMap((cid, i) =>
      Array.from({ length: PER_CONVERSATION }, (_, j) => ({
        cid,
        text: `reply ${i}.${j}`,
        key: `${i}-${j}-${randomBytes(4).toString('hex')}`,
      })),
    );
    const first = new Map<string, string>();
    const refusals: string[] = [];
    let rr = 0;
    let attempts = 0;
    const sendOne = async (r: (typeof replies)[number]) => {
      for (let attempt = 0; attempt < 300; attempt++) {
        attempts++;
        const url = urls[rr++ % urls.length]!;
        try {
          const res = await apiAt(
            url,
            'POST',
            `/v1/links/${link.link_id}/conversations/${r.cid}/messages`,
            { text: r.text },
            { token, key: r.key },
          );
          if (res.error.code === 'ok') return void first.set(r.key, res.data.message_id);
          if (res.status !== 429 && res.status < 500)
            return void refusals.push(`${r.text}: ${res.status} ${res.error.code} ${res.error.message}`);
          await sleep(Math.min(1000, (res.error.retry_after_s ?? 0.1) * 1000));
        } catch {
          await sleep(100); // the instance is gone or the answer was cut: the outbox retries
        }
      }
      refusals.push(`${r.text}: gave up`);
    };
    tiktok.chaos({
      match: '/business/message/',
      rate: 0.2,
      kinds: ['http500', 'http429', 'code40100', 'timeout', 'drop'],
    });
    const queue = [...replies];
    const clients = Promise.all(
      Array.from({ length: WORKERS }, async () => {
        for (let r = queue.shift(); r; r = queue.shift()) await sendOne(r);
      }),
    );
    const director = (async () => {
      while (first.size < REPLIES * 0.3) await sleep(100);
      const killedAt = first.size;
      await procs[1]!.kill();
      await sleep(500);
      procs[1] = await startProcess(envs[1]!);
      while (first.size < REPLIES * 0.65) await sleep(100);
      const pgDownAt = first.size;
      pg.down();
      await sleep(2000);
      pg.up();
      return { killedAt, pgDownAt };
    })();
    await clients;
    const { killedAt, pgDownAt } = await director;
    tiktok.chaos(null);

    expect(refusals).toEqual([]);
    expect(first.size).toBe(REPLIES);
    for (const p of procs)
      expect(
        p.child.exitCode ?? p.child.signalCode,
        `an instance stopped by itself:\n${p.output().slice(-3000)}`,
      ).toBeNull();
    await sleep(1500); // any background settling of the instances
    const delivered = new Map<string, number>();
    for (const m of tiktok.sentMessages(maya.open_id)) delivered.set(m.text, (delivered.get(m.text) ?? 0) + 1);
    const twice = [...delivered].filter(([, n]) => n > 1);
    const lost = replies.filter((r) => !delivered.has(r.text));
    expect(twice).toEqual([]);
    expect(lost).toEqual([]);

    // Each Idempotency-Key replayed (on either instance) answers the first result and sends nothing.
    let same = 0;
    let fromCache = 0;
    for (let i = 0; i < replies.length; i += 20) {
      await Promise.all(
        replies.slice(i, i + 20).map(async (r, j) => {
          const res = await apiAt(
            urls[j % 2]!,
            'POST',
            `/v1/links/${link.link_id}/conversations/${r.cid}/messages`,
            { text: r.text },
            { token, key: r.key },
          );
          if (res.error.code === 'ok' && res.data.message_id === first.get(r.key)) same++;
          if (res.headers.get('idempotent-replayed') === 'true') fromCache++;
        }),
      );
    }
    expect(same).toBe(REPLIES);
    expect(tiktok.sentMessages(maya.open_id)).toHaveLength(REPLIES);
    console.log(
      `faults, replies: ${REPLIES} replies, 2 instances, ${tiktok.chaosInjected} TikTok faults injected, ${attempts} client attempts, kill -9 after ${killedAt}, PostgreSQL restart after ${pgDownAt}: ${delivered.size} delivered once, ${twice.length} twice, ${lost.length} lost; replays ${same}/${REPLIES} same result (${fromCache} from the idempotency record); ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
  } finally {
    tiktok.chaos(null);
    await stop();
    await Promise.all([tiktok.stop(), smtp.stop()]);
  }
}, 400_000);
