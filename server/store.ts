/**
 * The core's `Store` port (utils/service/ports.ts) on SQL with drizzle-orm, the same on PGlite and PostgreSQL.
 * One query per method; `transaction(fn)` opens a real transaction (nested calls join it) and `{ lock: true }` reads
 * are `SELECT … FOR UPDATE`, so one refresh at a time per link and one claim per send. `sends.claim` is
 * `UPDATE … WHERE send_id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING *`: two instances never take the
 * same send, and none takes a parked one (no lease). Secrets: session tokens and idempotency scopes are stored as
 * SHA-256 hashes; TikTok tokens and OAuth callback codes are sealed with the row's id as associated data
 * (server/crypto.ts).
 */
import { and, asc, desc, eq, gt, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import type {
  AuthorizationRecord,
  EventRecord,
  IdempotencyRecord,
  LinkRecord,
  OAuthAttemptRecord,
  SendRecord,
  Store,
  TikTokProfile,
  UnreadKind,
  VerificationRecord,
} from '../utils/service/ports';
import type { Permission } from '../utils/api/schemas';
import type { Secrets } from './crypto';
import type { Db } from './db';
import * as t from './db/schema';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const defined = (...c: (SQL | undefined)[]) => and(...c.filter((x): x is SQL => x !== undefined));

export class SqlStore implements Store {
  constructor(
    private readonly db: Db,
    private readonly secrets: Secrets,
    private readonly inTransaction = false,
  ) {}

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction((tx) => fn(new SqlStore(tx as unknown as Db, this.secrets, true)));
  }

  /**
   * Inside a transaction: takes these Gmail addresses' event-feed locks (held until commit, in one order so two
   * transactions never wait on each other in a circle). A transaction that will append events after taking row locks
   * (a webhook batch) takes them first, so it never holds a row another one needs while waiting for the feed.
   */
  async lockFeeds(gmails: string[]): Promise<void> {
    for (const gmail of [...new Set(gmails)].sort())
      await this.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`events:${gmail}`}))`);
  }

  verifications = {
    get: async (id: string, opts?: { lock?: boolean }) => {
      const q = this.db.select().from(t.verifications).where(eq(t.verifications.verification_id, id));
      return ((await (opts?.lock ? q.for('update') : q))[0] ?? null) as VerificationRecord | null;
    },
    put: async (rec: VerificationRecord) => {
      await this.db
        .insert(t.verifications)
        .values(rec)
        .onConflictDoUpdate({ target: t.verifications.verification_id, set: rec });
    },
    lockedFor: async (email: string, now: number) =>
      ((
        await this.db
          .select()
          .from(t.verifications)
          .where(and(eq(t.verifications.email, email), gt(t.verifications.locked_until, now)))
          .limit(1)
      )[0] ?? null) as VerificationRecord | null,
  };

  linkStarts = {
    // A transaction-scoped advisory lock per address: parallel starts (any instance) count one after the other.
    take: (rec: { email: string; at: number }, window_ms: number, max: number) =>
      this.transaction(async (tx) => {
        const db = (tx as SqlStore).db;
        await db.execute(sql`select pg_advisory_xact_lock(hashtext(${`link_start:${rec.email}`}))`);
        const recent = await db
          .select({ at: t.linkStarts.at })
          .from(t.linkStarts)
          .where(and(eq(t.linkStarts.email, rec.email), gt(t.linkStarts.at, rec.at - window_ms)))
          .orderBy(asc(t.linkStarts.at));
        if (recent.length >= max) return recent[0]!.at;
        await db.insert(t.linkStarts).values(rec);
        return null;
      }),
  };

  sessions = {
    get: async (token: string) => {
      const r = (
        await this.db
          .select()
          .from(t.sessions)
          .where(eq(t.sessions.token_hash, sha256(token)))
      )[0];
      return r ? { token, gmail: r.gmail, expires_at: r.expires_at, revoked: r.revoked } : null;
    },
    put: async ({ token, ...rec }: { token: string; gmail: string; expires_at: number; revoked: boolean }) => {
      const row = { token_hash: sha256(token), ...rec };
      await this.db.insert(t.sessions).values(row).onConflictDoUpdate({ target: t.sessions.token_hash, set: rec });
    },
    revokeAll: async (gmail: string) => {
      await this.db.update(t.sessions).set({ revoked: true }).where(eq(t.sessions.gmail, gmail));
    },
  };

  oauth = {
    get: async (state: string): Promise<OAuthAttemptRecord | null> => {
      const r = (await this.db.select().from(t.oauthAttempts).where(eq(t.oauthAttempts.state, state)))[0];
      if (!r) return null;
      const { callback_code_sealed, ...rest } = r;
      return {
        ...rest,
        callback_code: callback_code_sealed ? this.secrets.open(callback_code_sealed, `oauth:${state}`) : null,
      };
    },
    put: async ({ callback_code, ...rec }: OAuthAttemptRecord) => {
      const row = {
        ...rec,
        callback_error: rec.callback_error ?? null,
        session_hash: rec.session_hash ?? null,
        callback_code_sealed: callback_code ? this.secrets.seal(callback_code, `oauth:${rec.state}`) : null,
      };
      await this.db.insert(t.oauthAttempts).values(row).onConflictDoUpdate({ target: t.oauthAttempts.state, set: row });
    },
  };

  /** A sealed token, or null when it cannot be opened (SECRET_KEY changed): the link then needs a new sign-in. */
  private openToken(sealed: string | null, aad: string): string | null {
    if (!sealed) return null;
    try {
      return this.secrets.open(sealed, aad);
    } catch {
      return null;
    }
  }

  private linkFromRow = (r: typeof t.links.$inferSelect): LinkRecord =>
    this.withTokens(r, this.openToken(r.access_token_sealed, `access:${r.link_id}`));

  private withTokens = (r: typeof t.links.$inferSelect, access: string | null): LinkRecord => ({
    link_id: r.link_id,
    gmail: r.gmail,
    status: r.status as LinkRecord['status'],
    tiktok: r.profile as TikTokProfile,
    grant: {
      open_id: (r.profile as TikTokProfile).open_id,
      scopes: r.scopes,
      access_token: access ?? '',
      // An unreadable token counts as expired, so the core refreshes it (and, with no readable refresh token, asks for a new sign-in).
      access_expires_at: access === null ? 0 : r.access_expires_at,
      refresh_token: this.openToken(r.refresh_token_sealed, `refresh:${r.link_id}`),
      refresh_expires_at: r.refresh_expires_at,
    },
    linked_at: r.linked_at,
    updated_at: r.updated_at,
    ...(r.notifications && { notifications: r.notifications as LinkRecord['notifications'] }),
  });

  links = {
    get: async (id: string, opts?: { lock?: boolean }) => {
      const q = this.db.select().from(t.links).where(eq(t.links.link_id, id));
      const r = (await (opts?.lock ? q.for('update') : q))[0];
      return r ? this.linkFromRow(r) : null;
    },
    put: async (rec: LinkRecord) => {
      const row = {
        link_id: rec.link_id,
        gmail: rec.gmail,
        status: rec.status,
        open_id: rec.tiktok.open_id,
        username: rec.tiktok.username,
        profile: rec.tiktok,
        scopes: rec.grant.scopes,
        access_token_sealed: this.secrets.seal(rec.grant.access_token, `access:${rec.link_id}`),
        access_expires_at: rec.grant.access_expires_at,
        refresh_token_sealed: rec.grant.refresh_token
          ? this.secrets.seal(rec.grant.refresh_token, `refresh:${rec.link_id}`)
          : null,
        refresh_expires_at: rec.grant.refresh_expires_at,
        linked_at: rec.linked_at,
        updated_at: rec.updated_at,
        notifications: rec.notifications ?? null,
      };
      await this.db.insert(t.links).values(row).onConflictDoUpdate({ target: t.links.link_id, set: row });
    },
    find: async (w: { gmail?: string; status?: LinkRecord['status']; open_id?: string; username?: string }) => {
      const rows = await this.db
        .select()
        .from(t.links)
        .where(
          defined(
            w.gmail === undefined ? undefined : eq(t.links.gmail, w.gmail),
            w.status === undefined ? undefined : eq(t.links.status, w.status),
            w.open_id === undefined ? undefined : eq(t.links.open_id, w.open_id),
            w.username === undefined ? undefined : eq(t.links.username, w.username),
          ),
        )
        .orderBy(asc(t.links.linked_at));
      return rows.map(this.linkFromRow);
    },
  };

  idempotency = {
    get: async (scope: string) => {
      const r = (
        await this.db
          .select()
          .from(t.idempotency)
          .where(eq(t.idempotency.scope_hash, sha256(scope)))
      )[0];
      if (!r) return null;
      const { scope_hash: _, ...rest } = r;
      return { scope, ...rest };
    },
    claim: async ({ scope, ...rec }: IdempotencyRecord, o: { staleBefore: number; expiredBefore: number }) => {
      const i = t.idempotency;
      // The existing record can be released between the insert and the read: then try the insert again.
      for (let attempt = 0; attempt < 5; attempt++) {
        const taken = await this.db
          .insert(i)
          .values({ scope_hash: sha256(scope), ...rec })
          .onConflictDoUpdate({
            target: i.scope_hash,
            set: rec,
            setWhere: or(and(eq(i.status, 0), lt(i.at, o.staleBefore)), lt(i.at, o.expiredBefore)),
          })
          .returning({ at: i.at });
        if (taken.length) return null;
        const seen = await this.idempotency.get(scope);
        if (seen) return seen;
      }
      throw new Error('idempotency: the record kept changing under its claim');
    },
    release: async (scope: string) => {
      await this.db
        .delete(t.idempotency)
        .where(and(eq(t.idempotency.scope_hash, sha256(scope)), eq(t.idempotency.status, 0)));
    },
    put: async ({ scope, ...rec }: IdempotencyRecord) => {
      await this.db
        .insert(t.idempotency)
        .values({ scope_hash: sha256(scope), ...rec })
        .onConflictDoUpdate({ target: t.idempotency.scope_hash, set: rec });
    },
    prune: async (before: number) => {
      await this.db.delete(t.idempotency).where(lt(t.idempotency.at, before));
    },
  };

  events = {
    // The feed's cursor is `seq`: one Gmail address's appends take turns (a transaction-scoped advisory lock, held
    // until commit), so its events commit in `seq` order and a reader never moves past one still to commit.
    append: (rec: Omit<EventRecord, 'seq'>) =>
      this.transaction(async (tx) => {
        await (tx as SqlStore).lockFeeds([rec.gmail]);
        return (await (tx as SqlStore).db.insert(t.events).values(rec).returning())[0] as EventRecord;
      }),
    after: async (gmail: string, after: number, limit: number) =>
      (await this.db
        .select()
        .from(t.events)
        .where(and(eq(t.events.gmail, gmail), gt(t.events.seq, after)))
        .orderBy(asc(t.events.seq))
        .limit(limit)) as EventRecord[],
  };

  unread = {
    add: async (open_id: string, kind: UnreadKind, ref: string, n: number) => {
      await this.db
        .insert(t.unread)
        .values({ open_id, kind, ref, count: n })
        .onConflictDoUpdate({
          target: [t.unread.open_id, t.unread.kind, t.unread.ref],
          set: { count: sql`${t.unread.count} + ${n}` },
        });
    },
    clear: async (open_id: string, kind: UnreadKind, ref?: string) => {
      await this.db
        .delete(t.unread)
        .where(
          defined(
            eq(t.unread.open_id, open_id),
            eq(t.unread.kind, kind),
            ref === undefined ? undefined : eq(t.unread.ref, ref),
          ),
        );
    },
    list: async (open_ids: string[], kind?: UnreadKind) =>
      open_ids.length === 0
        ? []
        : ((await this.db
            .select()
            .from(t.unread)
            .where(
              defined(inArray(t.unread.open_id, open_ids), kind === undefined ? undefined : eq(t.unread.kind, kind)),
            )) as { open_id: string; kind: UnreadKind; ref: string; count: number }[]),
  };

  sends = {
    get: async (send_id: string, opts?: { lock?: boolean }) => {
      const q = this.db.select().from(t.sends).where(eq(t.sends.send_id, send_id));
      return ((await (opts?.lock ? q.for('update') : q))[0] ?? null) as SendRecord | null;
    },
    byKey: async (link_id: string, key: string, opts?: { lock?: boolean }) => {
      const q = this.db
        .select()
        .from(t.sends)
        .where(and(eq(t.sends.link_id, link_id), eq(t.sends.idempotency_key, key)));
      return ((await (opts?.lock ? q.for('update') : q))[0] ?? null) as SendRecord | null;
    },
    put: async (rec: SendRecord) => {
      await this.db.insert(t.sends).values(rec).onConflictDoUpdate({ target: t.sends.send_id, set: rec });
    },
    claim: async (now: number, lease_ms: number, limit: number) => {
      // A parked send (`sending`, lease_until NULL: its link was not active to look for it) never matches `<=`.
      const claimable = this.db
        .select({ id: t.sends.send_id })
        .from(t.sends)
        .where(or(eq(t.sends.status, 'pending'), and(eq(t.sends.status, 'sending'), lte(t.sends.lease_until, now))))
        .orderBy(asc(t.sends.created_at))
        .limit(limit)
        .for('update', { skipLocked: true });
      return (await this.db
        .update(t.sends)
        .set({
          status: 'sending',
          lease_until: now + lease_ms,
          attempts: sql`${t.sends.attempts} + 1`,
          updated_at: now,
        })
        .where(inArray(t.sends.send_id, claimable))
        .returning()) as SendRecord[];
    },
  };

  /**
   * SECRET_KEY rotation: every link's tokens that only SECRET_KEY_PREVIOUS opens are sealed again with SECRET_KEY
   * (each row updated only if its sealed value is still the one read). Returns how many links changed.
   */
  async resealTokens(): Promise<number> {
    const rows = await this.db
      .select({ link_id: t.links.link_id, access: t.links.access_token_sealed, refresh: t.links.refresh_token_sealed })
      .from(t.links);
    let changed = 0;
    for (const r of rows) {
      const access = this.secrets.reseal(r.access, `access:${r.link_id}`);
      const refresh = r.refresh ? this.secrets.reseal(r.refresh, `refresh:${r.link_id}`) : null;
      if (!access && !refresh) continue;
      const same = and(
        eq(t.links.link_id, r.link_id),
        eq(t.links.access_token_sealed, r.access),
        r.refresh ? eq(t.links.refresh_token_sealed, r.refresh) : sql`refresh_token_sealed is null`,
      );
      await this.db
        .update(t.links)
        .set({ access_token_sealed: access ?? r.access, refresh_token_sealed: refresh ?? r.refresh })
        .where(same);
      changed++;
    }
    return changed;
  }

  authorizations = {
    get: async (id: string) => {
      const r = (await this.db.select().from(t.authorizations).where(eq(t.authorizations.authorization_id, id)))[0];
      return r ? authorizationFromRow(r) : null;
    },
    put: async (rec: AuthorizationRecord) => {
      const row = { ...rec, invite_url: rec.invite_url ?? null };
      await this.db
        .insert(t.authorizations)
        .values(row)
        .onConflictDoUpdate({ target: t.authorizations.authorization_id, set: row });
    },
    find: async (w: Partial<Pick<AuthorizationRecord, 'advertiser_id' | 'username' | 'status' | 'requested_by'>>) => {
      const col = {
        advertiser_id: t.authorizations.advertiser_id,
        username: t.authorizations.username,
        status: t.authorizations.status,
        requested_by: t.authorizations.requested_by,
      };
      const conds = (Object.keys(col) as (keyof typeof col)[])
        .filter((k) => w[k] !== undefined)
        .map((k) => (w[k] === null ? sql`${col[k]} is null` : eq(col[k], w[k] as string)));
      return (
        await this.db
          .select()
          .from(t.authorizations)
          .where(defined(...conds))
          .orderBy(desc(t.authorizations.requested_at))
      ).map(authorizationFromRow);
    },
    // One UPDATE … RETURNING on the partial index of pending expiries: cheap enough to run before every API call.
    expire: async (now: number) =>
      (
        await this.db
          .update(t.authorizations)
          .set({ status: 'expired' })
          .where(and(eq(t.authorizations.status, 'pending'), lte(t.authorizations.expires_at, now)))
          .returning()
      ).map(authorizationFromRow),
  };
}

function authorizationFromRow(r: typeof t.authorizations.$inferSelect): AuthorizationRecord {
  return {
    ...r,
    status: r.status as AuthorizationRecord['status'],
    requested: r.requested as Permission[],
    granted: r.granted as Permission[],
  };
}
