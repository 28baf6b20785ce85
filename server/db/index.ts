/**
 * Opens the server's database and applies the one migration folder: PostgreSQL (`pg` pool) when DATABASE_URL is
 * set, else PGlite (PostgreSQL in WASM) in DATA_DIR/pglite. On PostgreSQL, concurrent starts of several instances
 * migrate one at a time (an advisory lock).
 */
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import * as schema from './schema';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  /** True when the database answers a query within `timeoutMs`. */
  ping(timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATION_LOCK = 7_304_118_221;

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string }): Promise<Database> {
  let db: Db;
  let close: () => Promise<void>;
  let kind: Database['kind'];
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10, connectionTimeoutMillis: 10_000 });
    // An idle connection the database dropped (a restart, a failover) is replaced on next use; /healthz tells meanwhile.
    pool.on('error', () => undefined);
    // A connection lost while checked out (PostgreSQL restarted mid-transaction) fails its queries; without a listener
    // its 'error' event would end the process.
    pool.on('connect', (client) => client.on('error', () => undefined));
    const client = await pool.connect();
    try {
      await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await migratePg(drizzlePg(client, { schema }), { migrationsFolder });
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]);
    } finally {
      client.release();
    }
    db = drizzlePg(pool, { schema }) as unknown as Db;
    close = () => pool.end();
    kind = 'postgres';
  } else {
    const dir = path.join(opts.dataDir, 'pglite');
    mkdirSync(dir, { recursive: true });
    const client = await PGlite.create(dir);
    const pdb = drizzlePglite(client, { schema });
    await migratePglite(pdb, { migrationsFolder });
    db = pdb as unknown as Db;
    close = () => client.close();
    kind = 'pglite';
  }
  return {
    db,
    kind,
    async ping(timeoutMs = 2000) {
      const timeout = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref());
      return Promise.race([
        db.execute(sql`select 1`).then(
          () => true,
          () => false,
        ),
        timeout,
      ]);
    },
    close,
  };
}
