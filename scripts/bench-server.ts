/**
 * `npm run bench:server` (issue 17): the server under load on this machine, with the TikTok emulator behind it, per
 * configuration — PGlite; PostgreSQL with 1 instance; PostgreSQL with 2 instances behind this script's round-robin —
 * and the floor measured in the same run: a bare hono handler (this file with `--floor`) that checks the webhook
 * signature with the server's own function and inserts one row per webhook into the same kind of database.
 *
 * Phases per configuration, each run once unmeasured first on another account (so every instance, and the floor, is
 * measured with its code JIT-compiled): webhook ingest (signed DM and comment events, a fifth delivered twice,
 * shuffled), while a poller measures webhook → event visible in `/v1/events`; API reads (events polling, conversations
 * by username); reply sends through the outbox (Idempotency-Key). PostgreSQL with 1 and with 2 instances alternate for
 * `BENCH_ROUNDS` rounds (default 3): the tables show each configuration's round with the median ingest rate, and 2
 * instances vs 1 is given per round (both ran back to back on the same machine) and as the median. Printed:
 * requests/s, p50/p95/p99 latency, sends/s, and CPU per request of the server processes and of PostgreSQL (from
 * /proc), PostgreSQL's sessions (mean busy, waiting on a lock, idle in a transaction: where the bottleneck is), ingest as
 * a ratio of the floor, 2 instances vs 1, and the load average. Every server runs as its own process
 * (`server/main.ts`), as deployed. Not part of npm test.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import pg from 'pg';
import { openDatabase } from '../server/db';
import { signatureProblem } from '../server/webhooks';
import { startPostgres, type Postgres } from '../tests/support/postgres';
import { startSmtpSink, type SmtpSink } from '../tests/support/smtp-sink';
import { startTikTokEmulator, type TikTokEmulator, type WebhookEvent } from '../tests/support/tiktok-emulator';
import { apiAt, emulatorEnv, linkVia } from '../tests/server/harness';
import { freePort, startProcess } from '../tests/server/processes';

const DMS = Number(process.env.BENCH_DMS ?? 400);
const COMMENTS = Number(process.env.BENCH_COMMENTS ?? 100);
const SENDS = Number(process.env.BENCH_SENDS ?? 100);
const READ_MS = Number(process.env.BENCH_READ_MS ?? 4000);
/** PostgreSQL with 1 and with 2 instances run this many times, alternating, so a machine busy for a while skews both. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONCURRENCY = 16;
/**
 * `BENCH_INSTANCE_CPUS=0.5`: each server process (and the floor) limited to that many cores by a CFS quota of its own
 * (a cgroup v1 `cpu` group, as a container's CPU limit does), so the instances — not the load generator, the emulator
 * or PostgreSQL sharing the machine — are what runs out, and 2 instances vs 1 shows what a second instance adds.
 */
const INSTANCE_CPUS = Number(process.env.BENCH_INSTANCE_CPUS ?? 0);
const CGROUP_CPU = '/sys/fs/cgroup/cpu';

/** Puts `pid` in a CPU-limited group of its own when BENCH_INSTANCE_CPUS is set; the group's folder. */
function limitCpu(pid: number): string | null {
  if (!INSTANCE_CPUS) return null;
  if (!existsSync(path.join(CGROUP_CPU, 'cpu.cfs_quota_us')))
    throw new Error(`BENCH_INSTANCE_CPUS needs a writable cgroup v1 cpu controller at ${CGROUP_CPU}`);
  const dir = path.join(CGROUP_CPU, `ttg-bench-${process.pid}-${pid}`);
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'cpu.cfs_period_us'), '100000');
  writeFileSync(path.join(dir, 'cpu.cfs_quota_us'), String(Math.round(INSTANCE_CPUS * 100_000)));
  writeFileSync(path.join(dir, 'cgroup.procs'), String(pid));
  return dir;
}

/** Removes the groups of processes that have exited (the kernel may take a moment to let go of one). */
async function removeCgroups(dirs: (string | null)[]): Promise<void> {
  for (const dir of dirs.filter((d) => d !== null))
    for (let attempt = 0; ; attempt++) {
      try {
        rmdirSync(dir);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EBUSY' || attempt === 50) throw e;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
}

/* —— the floor: a bare hono handler, signature + one insert —— */

async function floorServer() {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR! });
  await database.db.execute(sql`create table if not exists bench_floor (key text primary key, body jsonb not null)`);
  const secret = process.env.TIKTOK_CLIENT_SECRET!;
  const app = new Hono();
  app.post('/webhooks/tiktok', async (c) => {
    const raw = await c.req.text();
    if (signatureProblem(raw, c.req.header('tiktok-signature'), secret, Date.now(), 300))
      return c.json({ error: 'signature' }, 401);
    const event = JSON.parse(raw) as WebhookEvent;
    const content = JSON.parse(event.content) as { message_id?: string; comment_id?: string };
    await database.db.execute(
      sql`insert into bench_floor (key, body) values (${`${event.event}:${content.message_id ?? content.comment_id}`}, ${raw}::jsonb) on conflict do nothing`,
    );
    return c.json({ ok: true });
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
    console.log(`Service listening on http://127.0.0.1:${info.port}`),
  );
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
}

/* —— measuring —— */

interface Figures {
  n: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
}

const pct = (sorted: number[], p: number) =>
  sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;

/** Runs `jobs` at `concurrency`, each job answering an HTTP status; latencies in ms. */
async function load(jobs: (() => Promise<number>)[], concurrency = CONCURRENCY, untilMs?: number): Promise<Figures> {
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length && (untilMs === undefined || performance.now() - t0 < untilMs)) {
        const job = jobs[next++]!;
        const s = performance.now();
        const status = await job().catch(() => 0);
        lat.push(performance.now() - s);
        if (status !== 200) errors++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  lat.sort((a, b) => a - b);
  return {
    n: lat.length,
    errors,
    seconds,
    rps: lat.length / seconds,
    p50: pct(lat, 50),
    p95: pct(lat, 95),
    p99: pct(lat, 99),
  };
}

/** CPU seconds (user + system) used so far by these pids (and, for PostgreSQL, every process of the cluster on `port`). */
function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

function postgresPids(port: number): number[] {
  const pids: number[] = [];
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number);
  const master = all.find((pid) => {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmd[0]?.endsWith('/postgres') && cmd.includes(String(port));
    } catch {
      return false;
    }
  });
  if (master === undefined) return pids;
  for (const pid of all) {
    try {
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]);
      if (pid === master || ppid === master) pids.push(pid);
    } catch {
      // gone
    }
  }
  return pids;
}

/** Mean number of the bench databases' sessions running, waiting on a lock, or idle inside a transaction. */
interface Sessions {
  busy: number;
  lockWait: number;
  idleInTx: number;
}

/**
 * Samples `pg_stat_activity` every 20 ms while a phase runs: whether PostgreSQL is busy, whether sessions wait on
 * each other's locks (row locks, the per-address event lock), and whether a transaction stays open while the server
 * does something else. Answers the means when stopped.
 */
async function sessionSampler(pgPort: number) {
  const client = new pg.Client(`postgres://postgres@127.0.0.1:${pgPort}/postgres`);
  await client.connect();
  const sum = { samples: 0, busy: 0, lockWait: 0, idleInTx: 0 };
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      const { rows } = await client.query<{ state: string | null; wait_event_type: string | null }>(
        `select state, wait_event_type from pg_stat_activity where datname like 'bench_%' and backend_type = 'client backend'`,
      );
      sum.samples++;
      for (const r of rows) {
        if (r.wait_event_type === 'Lock') sum.lockWait++;
        else if (r.state === 'active') sum.busy++;
        else if (r.state?.startsWith('idle in transaction')) sum.idleInTx++;
      }
      await new Promise((res) => setTimeout(res, 20));
    }
  })();
  return async (): Promise<Sessions> => {
    stop = true;
    await loop;
    await client.end();
    const n = Math.max(1, sum.samples);
    return { busy: sum.busy / n, lockWait: sum.lockWait / n, idleInTx: sum.idleInTx / n };
  };
}

async function measured<T extends Figures>(servers: number[], pgPort: number | null, run: () => Promise<T>) {
  const cpu = () => ({ server: cpuSeconds(servers), db: pgPort ? cpuSeconds(postgresPids(pgPort)) : 0 });
  const sampled = pgPort ? await sessionSampler(pgPort) : null;
  const before = cpu();
  const f = await run();
  const after = cpu();
  return {
    ...f,
    serverCpuMs: ((after.server - before.server) * 1000) / f.n,
    dbCpuMs: ((after.db - before.db) * 1000) / f.n,
    sessions: sampled ? await sampled() : null,
  };
}

/** The floor process on the configuration's database, under the same webhook load as the server. */
async function measureFloor(
  env: Record<string, string>,
  tiktok: TikTokEmulator,
  tag: string,
  pgPort: number | null,
): Promise<Row> {
  const floor = await startProcess(env, ['scripts/bench-server.ts', '--floor']);
  const cgroup = limitCpu(floor.child.pid!);
  try {
    await load(makeEvents(tiktok, `${tag}warm`).deliveries.map((e) => () => post(floor.url, tiktok, e)));
    const { deliveries } = makeEvents(tiktok, tag);
    return await measured([floor.child.pid!], pgPort, () =>
      load(deliveries.map((e) => () => post(floor.url, tiktok, e))),
    );
  } finally {
    await floor.kill();
    await removeCgroups([cgroup]);
  }
}

/* —— one configuration —— */

interface Setup {
  name: string;
  instances: number;
  postgres: Postgres | null;
}
type Row = Awaited<ReturnType<typeof measured>>;
interface Result {
  name: string;
  ingest: Row;
  visible: { p50: number; p95: number; p99: number; seen: number };
  reads: Row;
  sends: Row;
  floor: Row | null;
}

const shuffled = <T>(xs: T[]) =>
  xs
    .map((x) => ({ x, k: Math.random() }))
    .sort((a, b) => a.k - b.k)
    .map(({ x }) => x);

async function post(url: string, tiktok: TikTokEmulator, e: WebhookEvent): Promise<number> {
  const body = JSON.stringify(e);
  const res = await fetch(`${url}/webhooks/tiktok`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'tiktok-signature': tiktok.sign(body) },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

function makeEvents(tiktok: TikTokEmulator, tag: string) {
  const account = tiktok.addAccount({ username: `bench.${tag}` });
  const dms = Array.from({ length: DMS }, (_, i) =>
    tiktok.incomingMessage(account, { username: `fan.${tag}.${i}` }, `hello ${i}`),
  );
  const comments = Array.from({ length: COMMENTS }, (_, i) =>
    tiktok.incomingComment(
      account,
      { username: `viewer.${tag}.${i}` },
      `nice ${i}`,
      `73000000000000${String(100 + Math.floor(i / 30))}`,
    ),
  );
  const events = [...dms.map((d) => d.webhook), ...comments.map((c) => c.webhook)];
  const deliveries = shuffled([...events, ...events.filter((_, i) => i % 5 === 0)]);
  return { account, dms, comments, events, deliveries };
}

/** Polls the feed as the extension does (cursor), recording when each DM's and comment's event first shows. */
function visibilityPoller(url: string, token: string) {
  const seen = new Map<string, number>();
  let cursor = '0';
  let stop = false;
  const done = (async () => {
    while (!stop) {
      const r = await apiAt(url, 'GET', `/v1/events?limit=100&cursor=${cursor}`, undefined, { token }).catch(
        () => null,
      );
      if (r?.error.code === 'ok') {
        for (const e of r.data.items as { ref: { conversation_id?: string; comment_id?: string } }[]) {
          const key = e.ref.conversation_id ?? e.ref.comment_id;
          if (key && !seen.has(key)) seen.set(key, performance.now());
        }
        cursor = r.data.cursor;
        if (r.data.has_more) continue;
      }
      await new Promise((res) => setTimeout(res, 25));
    }
  })();
  return { seen, stop: async () => ((stop = true), await done) };
}

/** The servers of one configuration: `at(i)` spreads requests round-robin; `pids`/`pgPort` for the CPU figures. */
interface Target {
  at: (i: number) => string;
  pids: number[];
  pgPort: number | null;
}

/** Starts the configuration's server processes (each with its own data directory), on a fresh database. */
async function startInstances(setup: Setup, tiktok: TikTokEmulator, smtp: SmtpSink) {
  const dirs: string[] = [];
  const tmp = () => dirs[dirs.push(mkdtempSync(path.join(os.tmpdir(), 'ttg-bench-'))) - 1]!;
  const databaseUrl = setup.postgres
    ? setup.postgres.createDatabase(`bench_${setup.instances}_${Date.now()}`)
    : undefined;
  const pgPort = setup.postgres ? Number(new URL(setup.postgres.url).port) : null;
  const common = {
    ...emulatorEnv(tiktok, smtp),
    SECRET_KEY: 'ab'.repeat(32),
    ...(databaseUrl && { DATABASE_URL: databaseUrl }),
  };
  const dataDir = tmp();
  const procs = await Promise.all(
    Array.from({ length: setup.instances }, async (_, i) =>
      startProcess({ ...common, PORT: String(await freePort()), DATA_DIR: i === 0 ? dataDir : tmp() }),
    ),
  );
  const cgroups = procs.map((p) => limitCpu(p.child.pid!));
  const urls = procs.map((p) => p.url);
  const target: Target = { at: (i) => urls[i % urls.length]!, pids: procs.map((p) => p.child.pid!), pgPort };
  return { procs, cgroups, dirs, common, dataDir, urls, target };
}

/** Ingest: requests/s and latency of the deliveries; CPU until every event is visible (the inbox drained too). */
async function ingestPhase(
  target: Target,
  tiktok: TikTokEmulator,
  deliveries: WebhookEvent[],
  poller: ReturnType<typeof visibilityPoller>,
): Promise<Pick<Result, 'ingest' | 'visible'>> {
  const sentAt = new Map<string, number>();
  const ingest = await measured(target.pids, target.pgPort, async () => {
    const f = await load(
      deliveries.map((e, i) => async () => {
        const content = JSON.parse(e.content) as { conversation_id?: string; comment_id?: string };
        const k = e.event === 'comment.update' ? content.comment_id! : content.conversation_id!;
        if (!sentAt.has(k)) sentAt.set(k, performance.now());
        return post(target.at(i), tiktok, e);
      }),
    );
    const until = performance.now() + 120_000;
    while (poller.seen.size < DMS + COMMENTS && performance.now() < until) await new Promise((r) => setTimeout(r, 100));
    return f;
  });
  await poller.stop();
  const delays = [...poller.seen]
    .filter(([k]) => sentAt.has(k))
    .map(([k, t]) => t - sentAt.get(k)!)
    .sort((a, b) => a - b);
  return {
    ingest,
    visible: { p50: pct(delays, 50), p95: pct(delays, 95), p99: pct(delays, 99), seen: delays.length },
  };
}

/** API reads for READ_MS: events polling and conversations by username, half each. */
function readPhase(target: Target, token: string, linkId: string, tag: string): Promise<Row> {
  const { at } = target;
  return measured(target.pids, target.pgPort, () =>
    load(
      Array.from({ length: 100_000 }, (_, i) => async () => {
        const r =
          i % 2
            ? await apiAt(at(i), 'GET', `/v1/events?limit=20&cursor=${Math.floor(Math.random() * 1000)}`, undefined, {
                token,
              })
            : await apiAt(at(i), 'GET', `/v1/links/${linkId}/conversations?username=fan.${tag}.${i % DMS}`, undefined, {
                token,
              });
        return r.status;
      }),
      CONCURRENCY,
      READ_MS,
    ),
  );
}

/** SENDS reply sends through the outbox path (each with its own Idempotency-Key), 8 at a time. */
function sendPhase(
  target: Target,
  token: string,
  linkId: string,
  tag: string,
  conversationIds: string[],
): Promise<Row> {
  const { at } = target;
  return measured(target.pids, target.pgPort, () =>
    load(
      Array.from(
        { length: SENDS },
        (_, i) => async () =>
          (
            await apiAt(
              at(i),
              'POST',
              `/v1/links/${linkId}/conversations/${conversationIds[i % DMS]!}/messages`,
              { text: `reply ${i}` },
              { token, key: `bench-${tag}-${i}` },
            )
          ).status,
      ),
      8,
    ),
  );
}

/** The three phases on an account of their own, unmeasured, so every instance runs JIT-compiled code when measured. */
async function warmUp(target: Target, url: string, tiktok: TikTokEmulator, smtp: SmtpSink, tag: string) {
  const { account, dms, deliveries } = makeEvents(tiktok, tag);
  const { token, link } = await linkVia(url, smtp, tiktok, `${tag}@gmail.com`, account.username);
  await ingestPhase(target, tiktok, deliveries, visibilityPoller(url, token));
  await readPhase(target, token, link.link_id, tag);
  await sendPhase(
    target,
    token,
    link.link_id,
    tag,
    dms.map((d) => d.message.conversation_id),
  );
}

async function runConfig(setup: Setup, tiktok: TikTokEmulator, smtp: SmtpSink, round: number): Promise<Result> {
  const { procs, cgroups, dirs, common, dataDir, urls, target } = await startInstances(setup, tiktok, smtp);
  try {
    tiktok.webhookUrl = `${urls[0]}/webhooks/tiktok`;
    const tag = `${setup.name.replace(/\W+/g, '').toLowerCase()}r${round}`;
    await warmUp(target, urls[0]!, tiktok, smtp, `${tag}warm`);
    const { account, dms, deliveries } = makeEvents(tiktok, tag);
    const { token, link } = await linkVia(urls[0]!, smtp, tiktok, `${tag}@gmail.com`, account.username);

    const poller = visibilityPoller(urls[0]!, token);
    const { ingest, visible } = await ingestPhase(target, tiktok, deliveries, poller);
    const reads = await readPhase(target, token, link.link_id, tag);
    const conversationIds = dms.map((d) => d.message.conversation_id);
    const sends = await sendPhase(target, token, link.link_id, tag, conversationIds);

    const floor =
      setup.instances === 1
        ? await measureFloor({ ...common, DATA_DIR: dataDir }, tiktok, `${tag}floor`, target.pgPort)
        : null;
    return { name: setup.name, ingest, visible, reads, sends, floor };
  } finally {
    await Promise.all(procs.map((p) => p.kill()));
    await removeCgroups(cgroups);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/* —— the report —— */

const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '–');
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const sessions = (x: Sessions | null) =>
  x ? `${x.busy.toFixed(2)} / ${x.lockWait.toFixed(2)} / ${x.idleInTx.toFixed(2)}` : '–';
const row = (config: string, what: string, r: Row) =>
  `| ${config} | ${what} | ${r.n} | ${r.errors} | ${f0(r.rps)} | ${f1(r.p50)} | ${f1(r.p95)} | ${f1(r.p99)} | ${f1(r.serverCpuMs)} | ${f1(r.dbCpuMs)} | ${sessions(r.sessions)} |`;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The run with the median ingest rate: the configuration's row in the tables. */
const typical = (runs: Result[]) => runs.find((r) => r.ingest.rps === median(runs.map((x) => x.ingest.rps)))!;

function printTables(configs: Result[]) {
  console.log(
    '\n| configuration | phase | requests | errors | req/s | p50 ms | p95 ms | p99 ms | server CPU ms/req | PostgreSQL CPU ms/req | PostgreSQL sessions busy / waiting on a lock / idle in transaction |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of configs) {
    console.log(row(r.name, 'webhook ingest', r.ingest));
    if (r.floor) console.log(row(r.name, 'floor: bare hono, signature + 1 insert', r.floor));
    console.log(row(r.name, 'API reads (events, conversations)', r.reads));
    console.log(row(r.name, 'reply sends (outbox → emulator)', r.sends));
  }
  console.log('\n| configuration | ingest / floor | webhook → event visible p50 / p95 / p99 ms | sends/s |');
  console.log('|---|---|---|---|');
  const pgFloor = configs[1]!.floor!;
  for (const r of configs) {
    const floor = r.floor ?? pgFloor;
    console.log(
      `| ${r.name} | ${(r.ingest.rps / floor.rps).toFixed(2)} × (floor ${f0(floor.rps)} req/s) | ${f0(r.visible.p50)} / ${f0(r.visible.p95)} / ${f0(r.visible.p99)} (${r.visible.seen} events) | ${f1(r.sends.rps)} |`,
    );
  }
}

/** 2 instances against 1, round by round (each pair ran back to back, so both saw the same machine), and the median. */
function printScaling(ones: Result[], twos: Result[]) {
  const ratio = (what: string, f: (r: Result) => number) => {
    const xs = ones.map((one, i) => f(twos[i]!) / f(one));
    return `${what} ${median(xs).toFixed(2)} × (${xs.map((x) => x.toFixed(2)).join(', ')})`;
  };
  console.log(
    `\n2 instances vs 1 on PostgreSQL, median of ${ones.length} rounds (each round's ratio): ${ratio('ingest', (r) => r.ingest.rps)}, ${ratio('reads', (r) => r.reads.rps)}, ${ratio('sends', (r) => r.sends.rps)}`,
  );
  console.log(
    `server CPU per request, 2 instances vs 1: ${ratio('webhook', (r) => r.ingest.serverCpuMs)}, ${ratio('read', (r) => r.reads.serverCpuMs)}, ${ratio('send', (r) => r.sends.serverCpuMs)}`,
  );
}

async function main() {
  const load0 = os.loadavg();
  const started = Date.now();
  console.log(
    `bench:server — ${DMS} DMs + ${COMMENTS} comments (+20 % duplicates) per configuration, reads for ${READ_MS / 1000} s, ${SENDS} sends, PostgreSQL 1 and 2 instances in ${ROUNDS} alternating rounds; ${os.cpus().length} cores${INSTANCE_CPUS ? `, each server process limited to ${INSTANCE_CPUS} cores` : ''}; load average at start ${load0.map((x) => x.toFixed(2)).join(' ')}`,
  );
  const tiktok = await startTikTokEmulator();
  const smtp = await startSmtpSink();
  const postgres = await startPostgres();
  const run = async (setup: Setup, round: number) => {
    const r = await runConfig(setup, tiktok, smtp, round);
    console.error(`  ${setup.name}, round ${round}: done (${((Date.now() - started) / 1000).toFixed(0)} s)`);
    return r;
  };
  const ones: Result[] = [];
  const twos: Result[] = [];
  let pglite: Result;
  try {
    pglite = await run({ name: 'PGlite, 1 instance', instances: 1, postgres: null }, 1);
    for (let round = 1; round <= ROUNDS; round++) {
      ones.push(await run({ name: 'PostgreSQL, 1 instance', instances: 1, postgres }, round));
      twos.push(await run({ name: 'PostgreSQL, 2 instances', instances: 2, postgres }, round));
    }
  } finally {
    postgres.stop();
    await Promise.all([tiktok.stop(), smtp.stop()]);
  }
  printTables([pglite, typical(ones), typical(twos)]);
  printScaling(ones, twos);
  console.log(
    `load average at end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}; ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

if (process.argv.includes('--floor')) await floorServer();
else await main();
