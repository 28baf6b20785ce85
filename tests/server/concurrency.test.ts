/**
 * What instances on one PostgreSQL do at the same moment, on the SQL store itself:
 * - The events feed's cursor is the store's `seq`. Two transactions appending for one Gmail address at once (two
 *   instances settling webhooks, a webhook beside an API call) must commit in `seq` order: otherwise a reader that
 *   saw the later `seq` moves its cursor past the earlier one, which commits a moment later and is never read.
 * - Two instances settling bursts of one account's webhooks (several messages in each conversation) at once: every
 *   event once, and no transaction aborted as a deadlock (each batch takes its feed lock before its row locks).
 * - Every API call first expires the Ads requests past their 7 days; calls on several instances at once must tell
 *   the advertiser once, not once per call.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { secretsFrom } from '../../server/crypto';
import { openDatabase } from '../../server/db';
import { SqlStore } from '../../server/store';
import type { AuthorizationRecord, EventRecord } from '../../utils/service/ports';
import { allEvents, eventually, postgresDatabase, startStack, stopPostgres } from './harness';

afterAll(stopPostgres);

const event = (n: number): Omit<EventRecord, 'seq'> => ({
  event_id: `ev_${n}`,
  type: 'message.received',
  link_id: 'lnk_1',
  gmail: 'alex@gmail.com',
  at: n,
  summary: `event ${n}`,
  ref: { conversation_id: `c${n}` },
});

it('a reader following the cursor never passes an event that commits later (PostgreSQL, concurrent appends)', async () => {
  const database = await openDatabase({ databaseUrl: await postgresDatabase(), dataDir: '' });
  const store = new SqlStore(database.db, secretsFrom(randomBytes(32)));
  try {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let appended!: () => void;
    const firstAppended = new Promise<void>((r) => (appended = r));
    const slow = store.transaction(async (tx) => {
      await tx.events.append(event(1));
      appended();
      await held; // the rest of a webhook's transaction: notifications queued, the inbox row marked
    });
    await firstAppended;
    const fast = store.transaction((tx) => tx.events.append(event(2)));
    await new Promise((r) => setTimeout(r, 300));

    const seen: string[] = [];
    let cursor = 0;
    const poll = async () => {
      for (const e of await store.events.after('alex@gmail.com', cursor, 100)) {
        seen.push(e.event_id);
        cursor = e.seq;
      }
    };
    await poll();
    release();
    await Promise.all([slow, fast]);
    await poll();
    expect(seen).toEqual(['ev_1', 'ev_2']);
  } finally {
    await database.close();
  }
});

const pending = (n: number, expires_at: number): AuthorizationRecord => ({
  authorization_id: `auth_${n}`,
  advertiser_id: 'adv_1',
  requested_by: 'sam@gmail.com',
  username: `creator.${n}`,
  status: 'pending',
  requested: ['spark_ads'],
  granted: [],
  requested_at: 0,
  decided_at: null,
  expires_at,
  invite_url: null,
});

it('an Ads request past its expiry is expired once by parallel calls, the others untouched (PostgreSQL)', async () => {
  const database = await openDatabase({ databaseUrl: await postgresDatabase(), dataDir: '' });
  const store = new SqlStore(database.db, secretsFrom(randomBytes(32)));
  try {
    for (let n = 0; n < 20; n++) await store.authorizations.put(pending(n, n < 10 ? 1_000 : 9_000));
    const told = (await Promise.all(Array.from({ length: 8 }, () => store.authorizations.expire(5_000)))).flat();
    expect(told.map((a) => a.authorization_id).sort()).toEqual(
      Array.from({ length: 10 }, (_, n) => `auth_${n}`).sort(),
    );
    expect(told.every((a) => a.status === 'expired')).toBe(true);
    expect(await store.authorizations.find({ status: 'pending' })).toHaveLength(10);
  } finally {
    await database.close();
  }
});

it('two instances settling bursts of one account make every event once, without a deadlock (PostgreSQL)', async () => {
  const a = await startStack({ db: 'postgres', env: { SECRET_KEY: randomBytes(32).toString('hex') } });
  const b = await a.another();
  try {
    const maya = a.tiktok.addAccount({ username: 'maya.creates' });
    const { token } = await a.link('alex@gmail.com', 'maya.creates');
    const dms = Array.from({ length: 240 }, (_, i) =>
      a.tiktok.incomingMessage(maya, { username: `fan.${i % 6}` }, `message ${i}`),
    );
    const urls = [a.url, b.url];
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < dms.length) {
          const i = next++;
          const body = JSON.stringify(dms[i]!.webhook);
          await fetch(`${urls[i % 2]}/webhooks/tiktok`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'tiktok-signature': a.tiktok.sign(body) },
            body,
          }).then((r) => r.arrayBuffer());
        }
      }),
    );
    const received = async () => (await allEvents(a.url, token)).filter((e) => e.type === 'message.received');
    await eventually(async () => (await received()).length >= dms.length, 30_000);
    expect(await received()).toHaveLength(dms.length);
    const stats = await a.server.database.db.execute(
      sql`select deadlocks::int as n from pg_stat_database where datname = current_database()`,
    );
    expect((stats as unknown as { rows: { n: number }[] }).rows[0]!.n).toBe(0);
  } finally {
    await b.stop();
    await a.stop();
  }
}, 90_000);
