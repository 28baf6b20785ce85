/**
 * The webhook crash window: a failure after a DM's effects were written but before its inbox row is marked processed
 * (a crash, the database going away) must not repeat the event once the row is processed again. A trigger makes the
 * first "processed" mark fail, on PGlite and on PostgreSQL; the failed batch is settled again one row at a time, and
 * after every lease has run out /v1/events holds exactly one message.received.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import { eventually, startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

/** Fails the first update that marks an inbox row processed (a sequence, so the transaction's rollback does not re-arm it). */
const CRASH_ONCE = [
  sql`create sequence crash_once`,
  sql.raw(`create function crash_before_ack() returns trigger language plpgsql as $$
    begin
      if new.processed_at is not null and old.processed_at is null and nextval('crash_once') = 1 then
        raise exception 'crash between storing the event and marking it processed';
      end if;
      return new;
    end $$`),
  sql`create trigger crash_before_ack before update on webhook_inbox for each row execute function crash_before_ack()`,
];

describe.each<DbKind>(['pglite', 'postgres'])('webhook crash window on %s', (db) => {
  let s: Stack;
  let maya: EmulatedAccount;
  let token: string;
  beforeAll(async () => {
    s = await startStack({ db });
    maya = s.tiktok.addAccount({ username: 'maya.creates' });
    ({ token } = await s.link('alex@gmail.com', 'maya.creates'));
    for (const q of CRASH_ONCE) await s.server.database.db.execute(q);
  }, 90_000);
  afterAll(() => s?.stop());

  const received = async () =>
    ((await s.api('GET', '/v1/events?limit=100', undefined, { token })).data.items as { type: string }[]).filter(
      (e) => e.type === 'message.received',
    );
  const processed = async () => {
    const r = await s.server.database.db.execute(
      sql`select count(*)::int as n from webhook_inbox where processed_at is not null`,
    );
    return Number((r as unknown as { rows: { n: number }[] }).rows[0]!.n);
  };

  it('a failure between the event and the processed mark never yields a second event', async () => {
    const { webhook } = s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'Are you there?');
    expect(await s.tiktok.deliver(webhook)).toEqual([200]);
    const seq = async () =>
      Number(
        (
          (await s.server.database.db.execute(
            sql`select last_value::int as v, is_called from crash_once`,
          )) as unknown as { rows: { is_called: boolean }[] }
        ).rows[0]!.is_called,
      );
    await eventually(seq); // the first attempt (the batch) reached the mark and failed: its event rolled back with it
    await eventually(async () => (await processed()) === 1, 10_000); // settled again, one row at a time
    s.clock.offset += 31_000; // every lease runs out: a later round finds nothing left to process
    await new Promise((r) => setTimeout(r, 2500));
    expect(await received()).toHaveLength(1);
  });
});
