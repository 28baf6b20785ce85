/**
 * The counts behind the rate limits (./rate-limit.ts), shared by every instance on one database.
 *
 * Per-minute limits (per client IP, per session): a token bucket per key, holding `perMinute` calls and refilled
 * continuously, kept as GCRA's one number (`tat`: when the bucket would be full again; a call costs
 * `T = 60 s / perMinute` and is allowed while `max(tat, now) + T - now <= 60 s`). Each instance keeps a view of every
 * key's `tat` in memory and decides most calls from it alone, so the hot path pays no database round trip:
 * - the view counts this instance's own calls at once (on its own it is exactly the old in-memory bucket), and is
 *   raised to the shared `tat` learned from the database, never lowered: a stale view only misses others' calls;
 * - every 250 ms one statement (`INSERT … ON CONFLICT DO UPDATE … RETURNING`, keys sorted so two instances never
 *   deadlock) adds each key's calls since the last one to the shared `tat` in `rate_buckets` and returns it;
 * - at most q = 5 % of the limit (at least 1) of a key's calls may be allowed on one instance before the database has
 *   counted them; the call beyond that is decided by the database itself, one atomic conditional upsert that counts
 *   it, with the key's q uncounted ones, only if the shared bucket has room (one such call per key at a time; calls
 *   arriving meanwhile wait for its answer). Only a client above q calls per 250 ms on one instance meets that, once
 *   per q of its calls; once refused, the view refuses without asking.
 * The bound: the shared count can run ahead of the limit only by calls decided without seeing others: each other
 * instance's q not yet counted and q counted since this instance's view was last refreshed, and this instance's own
 * q in a batch under way when the database decides — with N instances at most about (2N − 1)·q (3q for two); one
 * instance alone never overshoots (its view sees all its calls). Measured: 0.7q over on 2 instances, 1.6q on 3
 * (docs/server.md). Every allowed call is counted, so an overshoot is paid back: the key stays refused that much
 * longer. Times are the instances' clocks (kept by NTP).
 * Why not the alternatives: a database statement per call costs every call a round trip and a write; counts flushed
 * only by time (no q) let each instance spend a whole bucket in one burst before the others hear of it (N × limit).
 *
 * The database failing (or not answering within 2 s) must not fail the calls: each instance then counts alone on its
 * view (the old per-instance buckets) until a batch succeeds again; logged once per outage. The hourly code-email
 * count (`countInWindow`) fails open the same way.
 *
 * Bounded: views idle (full bucket, nothing pending) are forgotten every minute, or at once past 100,000 keys; the
 * rows of full buckets and of ended code-email windows are deleted every minute (`SKIP LOCKED`, never waiting).
 */
import { eq, inArray, lt, sql } from 'drizzle-orm';
import type { Db } from './db';
import * as t from './db/schema';

const MINUTE = 60_000;
export const HOUR = 3_600_000;
const FLUSH_MS = 250;
const DB_TIMEOUT_MS = 2000;
const MAX_KEYS = 100_000;
const ROWS_PER_STATEMENT = 1000;
/** Waits for another call's claim before a call claims anyway (a bound, never met in practice). */
const MAX_ROUNDS = 20;
/** Float slack in `tat` comparisons (a fraction of a microsecond). */
const EPS = 1e-6;

interface View {
  /** ms one call costs: `60 s / perMinute`. */
  cost: number;
  /** when the bucket would be full again, as this instance knows it (its own calls + the shared count learned). */
  tat: number;
  /** calls allowed here and not yet sent to the database. */
  unsent: number;
  /** calls sent in a statement that has not answered yet. */
  inFlight: number;
  /** the database deciding a call of this key (one at a time per key: the others wait for it, then decide again). */
  claiming: Promise<unknown> | null;
}

/** Calls of one key that one instance may allow before the database has counted them. */
const cap = (perMinute: number) => Math.max(1, Math.ceil(perMinute / 20));
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));
/** ms until the view allows one more call (≤ 0: now). */
const waitMs = (v: View, now: number) => Math.max(v.tat, now) + v.cost - now - MINUTE;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class RateCounters {
  private readonly views = new Map<string, View>();
  /** Keys with unsent calls. */
  private readonly dirty = new Set<string>();
  private failing = false;
  private lastPrune: number;
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly log: (line: string) => void,
  ) {
    this.lastPrune = now();
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch((e: unknown) => this.failed(e))
        .finally(() => (this.running = null));
    }, FLUSH_MS);
    this.timer.unref();
  }

  /** One call of `key` under `perMinute`: 0 when allowed (and counted), else the seconds until one would be. */
  async take(key: string, perMinute: number): Promise<number> {
    const v = this.view(key, perMinute);
    for (let round = 0; ; round++) {
      const wait = waitMs(v, this.now());
      if (wait > EPS) return seconds(wait);
      if (this.failing || v.unsent + v.inFlight < cap(perMinute)) return this.allow(key, v);
      if (!v.claiming || round >= MAX_ROUNDS) return this.claim(key, v);
      await v.claiming;
    }
  }

  /** The next call in `key`'s current window of `windowMs`, counted atomically in the database (fails open: count 0). */
  async countInWindow(key: string, windowMs: number): Promise<{ count: number; endsAt: number }> {
    const now = this.now();
    const start = now - (now % windowMs);
    try {
      const rows = await withTimeout(
        this.db
          .insert(t.rateLimits)
          .values({ key, window_start: start, count: 1 })
          .onConflictDoUpdate({
            target: t.rateLimits.key,
            set: {
              count: sql`case when ${t.rateLimits.window_start} = excluded.window_start then ${t.rateLimits.count} + 1 else 1 end`,
              window_start: sql`excluded.window_start`,
            },
          })
          .returning({ count: t.rateLimits.count, window_start: t.rateLimits.window_start }),
        DB_TIMEOUT_MS,
      );
      this.answered();
      return { count: rows[0]!.count, endsAt: rows[0]!.window_start + windowMs };
    } catch (e) {
      this.failed(e);
      return { count: 0, endsAt: start + windowMs };
    }
  }

  /** Stops the batches, once the one under way (if any) has answered. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  private view(key: string, perMinute: number): View {
    let v = this.views.get(key);
    if (!v) {
      if (this.views.size >= MAX_KEYS) this.forgetIdle(this.now());
      v = { cost: MINUTE / perMinute, tat: 0, unsent: 0, inFlight: 0, claiming: null };
      this.views.set(key, v);
    }
    return v;
  }

  private allow(key: string, v: View): 0 {
    v.tat = Math.max(v.tat, this.now()) + v.cost;
    v.unsent++;
    this.dirty.add(key);
    return 0;
  }

  private async claim(key: string, v: View): Promise<number> {
    const decided = this.claimOnce(key, v);
    v.claiming = decided;
    try {
      return await decided;
    } finally {
      if (v.claiming === decided) v.claiming = null;
    }
  }

  /** The database decides: this call (with the key's unsent ones) counted only if the shared bucket has room. */
  private async claimOnce(key: string, v: View): Promise<number> {
    const sent = v.unsent;
    v.unsent = 0;
    v.inFlight += sent + 1;
    let answer: { granted: boolean; tat: number };
    try {
      answer = await withTimeout(this.claimInDb(key, sent, v.cost), DB_TIMEOUT_MS);
      this.answered();
    } catch (e) {
      this.failed(e); // those calls stay counted here only (fail open), this one too
      v.inFlight -= sent + 1;
      return this.allow(key, v);
    }
    v.inFlight -= sent + 1;
    const now = this.now();
    if (answer.granted) {
      v.tat = Math.max(v.tat, now) + v.cost;
      v.tat = Math.max(v.tat, answer.tat + v.unsent * v.cost);
      return 0;
    }
    v.unsent += sent; // allowed earlier, still to be counted by the next batch
    if (v.unsent) this.dirty.add(key);
    v.tat = Math.max(v.tat, Math.max(answer.tat, now) + v.unsent * v.cost);
    return seconds(waitMs(v, now));
  }

  private async claimInDb(key: string, sent: number, cost: number): Promise<{ granted: boolean; tat: number }> {
    const now = this.now();
    const add = (sent + 1) * cost;
    const from = sql`greatest(${t.rateBuckets.tat}, ${now}::double precision)`;
    const [row] = await this.db
      .insert(t.rateBuckets)
      .values({ key, tat: now + add })
      .onConflictDoUpdate({
        target: t.rateBuckets.key,
        set: { tat: sql`${from} + ${add}::double precision` },
        setWhere: sql`${from} + ${add}::double precision <= ${now + MINUTE + EPS}::double precision`,
      })
      .returning({ tat: t.rateBuckets.tat });
    if (row) return { granted: true, tat: row.tat };
    const [held] = await this.db
      .select({ tat: t.rateBuckets.tat })
      .from(t.rateBuckets)
      .where(eq(t.rateBuckets.key, key));
    return { granted: false, tat: held?.tat ?? now };
  }

  private async tick(): Promise<void> {
    await this.flush();
    const now = this.now();
    if (now - this.lastPrune < MINUTE) return;
    this.lastPrune = now;
    this.forgetIdle(now);
    await this.prune(now).catch(() => undefined); // a failing database shows in the batches
  }

  /** Every key's unsent calls added to the shared count (one statement per 1,000 keys), the shared `tat` learned back. */
  private async flush(): Promise<void> {
    if (!this.dirty.size) return;
    const batch = [...this.dirty].sort().map((key) => {
      const view = this.views.get(key)!;
      const sent = view.unsent;
      view.unsent = 0;
      view.inFlight += sent;
      return { key, view, sent };
    });
    this.dirty.clear();
    const now = this.now();
    const work = this.report(batch, now);
    try {
      const learned = await withTimeout(work, DB_TIMEOUT_MS);
      this.answered();
      for (const b of batch) {
        const tat = learned.get(b.key);
        if (tat !== undefined) b.view.tat = Math.max(b.view.tat, tat + b.view.unsent * b.view.cost);
      }
    } catch (e) {
      this.failed(e); // those calls stay counted here only
    } finally {
      for (const b of batch) b.view.inFlight -= b.sent;
    }
    await work.catch(() => undefined); // a statement that timed out: no next batch before it ends
  }

  private async report(batch: { key: string; view: View; sent: number }[], now: number): Promise<Map<string, number>> {
    const learned = new Map<string, number>();
    for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
      const rows = await this.db
        .insert(t.rateBuckets)
        .values(batch.slice(i, i + ROWS_PER_STATEMENT).map((b) => ({ key: b.key, tat: now + b.sent * b.view.cost })))
        .onConflictDoUpdate({
          target: t.rateBuckets.key,
          set: {
            tat: sql`greatest(${t.rateBuckets.tat}, ${now}::double precision) + excluded.tat - ${now}::double precision`,
          },
        })
        .returning({ key: t.rateBuckets.key, tat: t.rateBuckets.tat });
      for (const r of rows) learned.set(r.key, r.tat);
    }
    return learned;
  }

  /** Rows of full buckets and of ended hourly windows, deleted without waiting on a row a batch holds. */
  private async prune(now: number): Promise<void> {
    const full = this.db
      .select({ key: t.rateBuckets.key })
      .from(t.rateBuckets)
      .where(lt(t.rateBuckets.tat, now))
      .for('update', { skipLocked: true });
    await this.db.delete(t.rateBuckets).where(inArray(t.rateBuckets.key, full));
    await this.db.delete(t.rateLimits).where(lt(t.rateLimits.window_start, now - HOUR));
  }

  private forgetIdle(now: number): void {
    for (const [key, v] of this.views)
      if (v.tat <= now && !v.unsent && !v.inFlight && !v.claiming) {
        this.views.delete(key);
        this.dirty.delete(key);
      }
  }

  private answered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.log('rate limits: the database answers again; limits are shared across instances again');
  }

  /** Logged without the statement (drizzle's message carries it, with the keys: client IPs). */
  private failed(e: unknown): void {
    if (this.failing) return;
    this.failing = true;
    const cause = e instanceof Error && e.cause instanceof Error ? e.cause : e;
    const why = cause instanceof Error ? cause.message : String(cause);
    this.log(`rate limits: the database failed (${why}); each instance counts alone until it answers`);
  }
}
