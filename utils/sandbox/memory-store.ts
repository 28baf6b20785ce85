/**
 * The service's `Store` in memory, over the tables of the sandbox state (state.ts), so the embedded sandbox persists
 * it with the rest of its state. Requests run one at a time (persistence.ts), so a transaction is a snapshot of the
 * tables restored when its function throws; records are never changed in place (every write replaces one), so the
 * snapshot is a shallow copy of each table. Records go in and out as copies. Bounded like the persisted state must be:
 * 500 idempotency records, 2000 events, settled sends for 24 h.
 */
import type { Millis, SendRecord, Store, UnreadKind, UnreadRecord } from '../service/ports';
import type { SandboxState } from './state';

const IDEMPOTENCY_MAX = 500;
const EVENTS_MAX = 2000;
const SETTLED_SENDS_MS = 24 * 3_600_000;
const TABLES = [
  'verifications',
  'link_starts',
  'sessions',
  'oauth',
  'links',
  'idempotency',
  'events',
  'unread',
  'sends',
  'authorizations',
  'seq',
] as const;

const copy = <T>(x: T): T => structuredClone(x);
const shallow = (x: unknown) => (Array.isArray(x) ? [...x] : typeof x === 'object' && x !== null ? { ...x } : x);
const orNull = <T>(x: T | undefined): T | null => (x === undefined ? null : copy(x));

export function createMemoryStore(state: () => SandboxState): Store {
  let tail: Promise<unknown> = Promise.resolve();

  const store: Store = {
    /** One transaction at a time (the sandbox runs one request at a time anyway); inside, `tx.transaction` joins. */
    transaction(fn) {
      const run = tail.then(async () => {
        const s = state();
        const snapshot = Object.fromEntries(TABLES.map((t) => [t, shallow(s[t])]));
        try {
          return await fn(tx);
        } catch (e) {
          Object.assign(s, snapshot);
          throw e;
        }
      });
      tail = run.catch(() => undefined);
      return run;
    },
    ...accountTables(state),
    ...activityTables(state),
  };
  const tx: Store = { ...store, transaction: (fn) => fn(tx) };
  return store;
}

/** Verifications, link starts, sessions, OAuth attempts, links. */
function accountTables(
  state: () => SandboxState,
): Pick<Store, 'verifications' | 'linkStarts' | 'sessions' | 'oauth' | 'links'> {
  return {
    verifications: {
      get: async (id) => orNull(state().verifications[id]),
      put: async (rec) => void (state().verifications[rec.verification_id] = copy(rec)),
      lockedFor: async (email, now) =>
        orNull(
          Object.values(state().verifications).find(
            (v) => v.email === email && v.locked_until !== null && v.locked_until > now,
          ),
        ),
    },
    linkStarts: {
      // One synchronous read-and-write: nothing can run between the count and the record.
      take: async ({ email, at }, window_ms, max) => {
        const s = state();
        const recent = (s.link_starts[email] ?? []).filter((t) => t > at - window_ms);
        if (recent.length >= max) return Math.min(...recent);
        s.link_starts[email] = [...recent, at];
        return null;
      },
    },
    sessions: {
      get: async (token) => orNull(state().sessions[token]),
      put: async (rec) => void (state().sessions[rec.token] = copy(rec)),
      revokeAll: async (gmail) => {
        const table = state().sessions;
        for (const [token, s] of Object.entries(table)) if (s.gmail === gmail) table[token] = { ...s, revoked: true };
      },
    },
    oauth: {
      get: async (st) => orNull(state().oauth[st]),
      put: async (rec) => void (state().oauth[rec.state] = copy(rec)),
    },
    links: {
      get: async (id) => orNull(state().links[id]),
      put: async (rec) => void (state().links[rec.link_id] = copy(rec)),
      find: async (w) =>
        copy(
          Object.values(state().links)
            .filter(
              (l) =>
                (w.gmail === undefined || l.gmail === w.gmail) && (w.status === undefined || l.status === w.status),
            )
            .filter(
              (l) =>
                (w.open_id === undefined || l.tiktok.open_id === w.open_id) &&
                (w.username === undefined || l.tiktok.username === w.username),
            )
            .sort((a, b) => a.linked_at - b.linked_at),
        ),
    },
  };
}

/** Idempotency records, events, unread counts, sends, Ads authorizations. */
function activityTables(
  state: () => SandboxState,
): Pick<Store, 'idempotency' | 'events' | 'unread' | 'sends' | 'authorizations'> {
  return {
    idempotency: idempotencyTable(state),
    events: eventsTable(state),
    unread: unreadTable(state),
    sends: sendsTable(state),
    authorizations: authorizationsTable(state),
  };
}

/** Idempotency records; pruning drops the expired ones and keeps the newest IDEMPOTENCY_MAX. */
function idempotencyTable(state: () => SandboxState): Store['idempotency'] {
  return {
    get: async (scope) => orNull(state().idempotency[scope]),
    claim: async (rec, { staleBefore, expiredBefore }) => {
      const seen = state().idempotency[rec.scope];
      if (seen && !((seen.status === 0 && seen.at < staleBefore) || seen.at < expiredBefore)) return copy(seen);
      state().idempotency[rec.scope] = copy(rec);
      return null;
    },
    release: async (scope) => {
      if (state().idempotency[scope]?.status === 0) delete state().idempotency[scope];
    },
    put: async (rec) => void (state().idempotency[rec.scope] = copy(rec)),
    prune: async (before) => {
      const table = state().idempotency;
      const kept = Object.entries(table).filter(([, v]) => v.at >= before);
      for (const [k, v] of Object.entries(table)) if (v.at < before) delete table[k];
      if (kept.length > IDEMPOTENCY_MAX)
        for (const [k] of kept.sort((a, b) => a[1].at - b[1].at).slice(0, kept.length - IDEMPOTENCY_MAX))
          delete table[k];
    },
  };
}

/** The event log, numbered by `seq`, the oldest dropped past EVENTS_MAX. */
function eventsTable(state: () => SandboxState): Store['events'] {
  return {
    append: async (rec) => {
      const s = state();
      s.seq += 1;
      const full = { ...copy(rec), seq: s.seq };
      s.events.push(full);
      if (s.events.length > EVENTS_MAX) s.events.splice(0, s.events.length - EVENTS_MAX);
      return copy(full);
    },
    after: async (gmail, after, limit) =>
      copy(
        state()
          .events.filter((e) => e.gmail === gmail && e.seq > after)
          .slice(0, limit),
      ),
  };
}

/** Unread counts per account, kind and item. */
function unreadTable(state: () => SandboxState): Store['unread'] {
  return {
    add: async (open_id, kind, ref, n) => {
      const s = state();
      const same = (r: UnreadRecord) => r.open_id === open_id && r.kind === kind && r.ref === ref;
      const count = (s.unread.find(same)?.count ?? 0) + n;
      s.unread = [...s.unread.filter((r) => !same(r)), { open_id, kind, ref, count }];
    },
    clear: async (open_id, kind, ref) => {
      const s = state();
      s.unread = s.unread.filter(
        (r) => !(r.open_id === open_id && r.kind === kind && (ref === undefined || r.ref === ref)),
      );
    },
    list: async (open_ids, kind?: UnreadKind) =>
      copy(state().unread.filter((r) => open_ids.includes(r.open_id) && (kind === undefined || r.kind === kind))),
  };
}

/** Outgoing sends (settled ones pruned after SETTLED_SENDS_MS) and their leases; a parked send (no lease) is never claimed. */
function sendsTable(state: () => SandboxState): Store['sends'] {
  return {
    get: async (id) => orNull(state().sends[id]),
    byKey: async (link_id, key) =>
      orNull(Object.values(state().sends).find((x) => x.link_id === link_id && x.idempotency_key === key)),
    put: async (rec) => {
      const table = state().sends;
      table[rec.send_id] = copy(rec);
      pruneSends(table, rec.updated_at);
    },
    claim: async (now, lease_ms, limit) => {
      const table = state().sends;
      const due = Object.values(table).filter(
        (x) => x.status === 'pending' || (x.status === 'sending' && x.lease_until !== null && x.lease_until <= now),
      );
      return due.slice(0, limit).map((x) => {
        const claimed: SendRecord = {
          ...x,
          status: 'sending',
          lease_until: now + lease_ms,
          attempts: x.attempts + 1,
          updated_at: now,
        };
        table[x.send_id] = claimed;
        return copy(claimed);
      });
    },
  };
}

/** Ads authorizations, newest request first. */
function authorizationsTable(state: () => SandboxState): Store['authorizations'] {
  return {
    get: async (id) => orNull(state().authorizations[id]),
    put: async (rec) => void (state().authorizations[rec.authorization_id] = copy(rec)),
    find: async (w) =>
      copy(
        Object.values(state().authorizations)
          .filter((a) => (Object.keys(w) as (keyof typeof w)[]).every((k) => w[k] === undefined || a[k] === w[k]))
          .sort((x, y) => y.requested_at - x.requested_at),
      ),
    expire: async (now) => {
      const due = Object.values(state().authorizations).filter(
        (a) => a.status === 'pending' && a.expires_at !== null && a.expires_at <= now,
      );
      for (const a of due) a.status = 'expired';
      return copy(due);
    },
  };
}

function pruneSends(table: Record<string, SendRecord>, now: Millis) {
  for (const [id, x] of Object.entries(table))
    if ((x.status === 'sent' || x.status === 'failed') && x.updated_at < now - SETTLED_SENDS_MS) delete table[id];
}
