/**
 * The durable outbox: a reply is written to the vault before any network call, then sent by one sender loop with
 * an idempotency key fixed at creation. Transient failures go back to `queued` with a backoff (and an alarm, so a
 * stopped worker resumes); refusals become `draft` with the reason. Entries left in `sending` by a stopped worker
 * are sent again with the same key, which the service's idempotency makes safe.
 *
 * Also the composer drafts: the text being typed, keyed by draft key, so it survives reloads and worker stops.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { AppError, isAppError } from '@/utils/api/errors';
import { OutboxEntry } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { vaultItem } from '@/utils/storage/vault';
import { fallbackUrlOf } from '@/utils/tiktok-urls';
import { normaliseGmail } from '@/utils/gmail-address';
import { allowedGmail, assertMayActFor } from './sender-policy';
import { claim, createEntry, isDue, markFailed, markSent, nextWake, retryEntry, type Failure } from './outbox-machine';
import { activeLinkOf, serviceFor } from './service';

export const OUTBOX_ALARM = 'outbox';
/** Replies sent at once; replies to the same conversation or comment always go one after the other, in order. */
const CONCURRENCY = 4;
/** How long `sendReply` waits for the first attempt (or for the loop to go idle) before answering with the entry as it stands. */
const FIRST_ATTEMPT_WAIT_MS = 8_000;
/** Sent entries are kept this long (the composer shows them as sent), then pruned. */
const KEEP_SENT_MS = 7 * 24 * 3600_000;

const OutboxState = z.object({
  entries: z.record(z.string(), OutboxEntry),
  /** client_key → entry_id: a double submit returns the first entry. */
  client_keys: z.record(z.string(), z.string()),
});
type OutboxState = z.infer<typeof OutboxState>;
export const outboxItem = vaultItem('outbox', OutboxState, () => ({ entries: {}, client_keys: {} }));

const Drafts = z.record(z.string(), z.object({ text: z.string(), updated_at: z.string() }));
export const draftsItem = vaultItem('drafts', Drafts, () => ({}));

const targetKey = (e: OutboxEntry) =>
  `${e.gmail}|${e.target.kind}|${e.target.kind === 'message' ? e.target.conversation_id : e.target.comment_id}`;
const byCreation = (a: OutboxEntry, b: OutboxEntry) =>
  a.created_at.localeCompare(b.created_at) || a.entry_id.localeCompare(b.entry_id);

/** Writes the entry for `client_key` (or returns the existing one): the atomic first step of every reply. */
export async function enqueueReply(
  input: { gmail: string; target: OutboxEntry['target']; text: string; client_key: string },
  now = Date.now(),
): Promise<OutboxEntry> {
  const gmail = normaliseGmail(input.gmail);
  const clientKey = `${gmail}|${input.client_key}`;
  let entry!: OutboxEntry;
  await outboxItem.update((state) => {
    const existing = state.client_keys[clientKey];
    if (existing && state.entries[existing]) {
      entry = state.entries[existing]!;
      return state;
    }
    entry = createEntry({
      entry_id: crypto.randomUUID(),
      idempotency_key: crypto.randomUUID(),
      gmail,
      target: input.target,
      text: input.text,
      now,
    });
    return prune(
      {
        entries: { ...state.entries, [entry.entry_id]: entry },
        client_keys: { ...state.client_keys, [clientKey]: entry.entry_id },
      },
      now,
    );
  });
  return entry;
}

function prune(state: OutboxState, now: number): OutboxState {
  const entries = Object.fromEntries(
    Object.entries(state.entries).filter(
      ([, e]) => !(e.status === 'sent' && now - Date.parse(e.updated_at) > KEEP_SENT_MS),
    ),
  );
  const client_keys = Object.fromEntries(Object.entries(state.client_keys).filter(([, id]) => id in entries));
  return { entries, client_keys };
}

/** Atomically replaces one entry with `fn(entry)`; `fn` returning null leaves it as is. Returns what is stored. */
async function mutate(entryId: string, fn: (e: OutboxEntry) => OutboxEntry | null): Promise<OutboxEntry | null> {
  let out: OutboxEntry | null = null;
  await outboxItem.update((state) => {
    const current = state.entries[entryId];
    if (!current) return state;
    const next = fn(current);
    out = next ?? current;
    return next ? { ...state, entries: { ...state.entries, [entryId]: next } } : state;
  });
  return out;
}

function failureOf(e: unknown): Failure {
  if (isAppError(e)) {
    const fallback_url = fallbackUrlOf(e.extra.details);
    return {
      code: e.code,
      message: e.message,
      status: e.extra.status,
      retry_after_s: e.extra.retry_after_s,
      ...(fallback_url && { fallback_url }),
    };
  }
  return { code: 'unreachable', message: `Could not send: ${String((e as Error)?.message ?? e)}` };
}

async function deliver(entry: OutboxEntry): Promise<NonNullable<OutboxEntry['result']>> {
  const link = await activeLinkOf(entry.gmail);
  const client = await serviceFor(entry.gmail);
  const { target, text, idempotency_key: idempotencyKey } = entry;
  if (target.kind === 'message') {
    const sent = await client.sendMessage(link.link_id, target.conversation_id, { text }, idempotencyKey);
    return { id: sent.message_id, sent_at: sent.sent_at, reply_window: sent.reply_window };
  }
  const reply = await client.replyComment(link.link_id, target.comment_id, { text }, idempotencyKey);
  return { id: reply.comment_id, sent_at: reply.created_at, comment_status: reply.status };
}

/* ---------- the sender loop (one per worker; state is in the vault, `inFlight` only guards this worker's sends) ---------- */

const inFlight = new Set<string>();
const attemptDone = new Map<string, Set<() => void>>();
let running: Promise<void> | null = null;
let again = false;
let wakeTimer: ReturnType<typeof setTimeout> | null = null;

async function sendOne(entryId: string): Promise<void> {
  inFlight.add(entryId);
  try {
    const claimed = await mutate(entryId, (e) => (isDue(e, Date.now()) ? claim(e, Date.now()) : null));
    if (!claimed || claimed.status !== 'sending') return;
    try {
      const result = await deliver(claimed);
      await mutate(entryId, (e) => (e.status === 'sending' ? markSent(e, result, Date.now()) : null));
    } catch (e) {
      const failure = failureOf(e);
      await mutate(entryId, (cur) => (cur.status === 'sending' ? markFailed(cur, failure, Date.now()) : null));
    }
  } finally {
    inFlight.delete(entryId);
    for (const done of attemptDone.get(entryId) ?? []) done();
    attemptDone.delete(entryId);
  }
}

/** The due entries, oldest first, at most one per conversation/comment (and none behind an unsent earlier one). */
function pickDue(state: OutboxState, now: number): string[] {
  const blocked = new Set<string>();
  const picked: string[] = [];
  for (const e of Object.values(state.entries).sort(byCreation)) {
    const key = targetKey(e);
    if (blocked.has(key) || e.status === 'sent' || e.status === 'draft') continue;
    blocked.add(key);
    if (isDue(e, now, inFlight)) picked.push(e.entry_id);
  }
  return picked;
}

async function runLoop(): Promise<void> {
  const pool = new Set<Promise<void>>();
  for (;;) {
    const due = pickDue(await outboxItem.get(), Date.now()).filter((id) => !inFlight.has(id));
    if (!due.length && !pool.size) break;
    for (const id of due.slice(0, CONCURRENCY - pool.size)) {
      const p: Promise<void> = sendOne(id).finally(() => pool.delete(p));
      pool.add(p);
    }
    if (pool.size) await Promise.race(pool);
  }
  // Nothing more is due now: whoever waits for an entry still queued (in backoff, or behind an earlier reply to the
  // same conversation) gets its answer now instead of at the timeout.
  for (const waiters of attemptDone.values()) for (const done of waiters) done();
  attemptDone.clear();
  await scheduleWake();
}

/**
 * Starts the sender loop, or makes the running one look again once it is done. Resolves when the loop has stopped
 * with nothing due, including the extra rounds asked for while it ran.
 */
export function kickOutbox(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    do {
      again = false;
      await runLoop().catch((e) => console.error('outbox loop failed', e));
    } while (again);
  })().finally(() => {
    running = null;
  });
  return running;
}

async function scheduleWake(): Promise<void> {
  const next = nextWake(Object.values((await outboxItem.get()).entries));
  if (wakeTimer) clearTimeout(wakeTimer);
  wakeTimer = null;
  if (next === null) {
    await browser.alarms.clear(OUTBOX_ALARM);
    return;
  }
  const delay = Math.max(0, next - Date.now());
  // A timer while the worker lives; the alarm wakes a stopped worker (Chrome may round it up to 30 s).
  wakeTimer = setTimeout(() => void kickOutbox(), delay);
  await browser.alarms.create(OUTBOX_ALARM, { when: Date.now() + Math.max(delay, 1_000) });
}

function firstAttempt(entryId: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    attemptDone.set(entryId, (attemptDone.get(entryId) ?? new Set()).add(done));
  });
}

async function entryFor(entryId: string, sender: Parameters<typeof allowedGmail>[0]): Promise<OutboxEntry> {
  const entry = (await outboxItem.get()).entries[entryId];
  if (!entry) throw new AppError('not_found', 'That reply is no longer in the outbox.');
  await assertMayActFor(sender, entry.gmail);
  return entry;
}

async function assertDraftKeyAllowed(key: string, sender: Parameters<typeof allowedGmail>[0]): Promise<void> {
  const gmail = await allowedGmail(sender);
  // Draft keys name their Gmail address (`message:<gmail>:<username>`); a Gmail tab only reaches its own.
  if (gmail !== null && !key.toLowerCase().split(':').includes(gmail)) {
    throw new AppError('forbidden_sender', 'A Gmail tab may only read and write drafts of the Gmail account it shows.');
  }
}

export const handlers: Handlers = {
  sendReply: async ({ gmail, target, text, client_key }, sender) => {
    await assertMayActFor(sender, gmail);
    const entry = await enqueueReply({ gmail, target, text, client_key });
    if (entry.status !== 'queued' && entry.status !== 'sending') return entry;
    const attempted = firstAttempt(entry.entry_id, FIRST_ATTEMPT_WAIT_MS);
    void kickOutbox();
    await attempted;
    return (await outboxItem.get()).entries[entry.entry_id] ?? entry;
  },
  outboxList: async ({ gmail }, sender) => {
    const allowed = await allowedGmail(sender);
    const wanted = gmail !== undefined ? normaliseGmail(gmail) : allowed;
    if (allowed !== null && wanted !== allowed)
      throw new AppError('forbidden_sender', 'A Gmail tab may only list replies of the Gmail account it shows.');
    return Object.values((await outboxItem.get()).entries)
      .filter((e) => wanted === null || e.gmail === wanted)
      .sort((a, b) => byCreation(b, a));
  },
  outboxRetry: async ({ entry_id, text }, sender) => {
    await entryFor(entry_id, sender);
    const updated = await mutate(entry_id, (e) => retryEntry(e, text, () => crypto.randomUUID(), Date.now()));
    if (!updated) throw new AppError('not_found', 'That reply is no longer in the outbox.');
    if (updated.status !== 'queued') return updated;
    const attempted = firstAttempt(entry_id, FIRST_ATTEMPT_WAIT_MS);
    void kickOutbox();
    await attempted;
    return (await outboxItem.get()).entries[entry_id] ?? updated;
  },
  outboxDiscard: async ({ entry_id }, sender) => {
    const entry = await entryFor(entry_id, sender);
    if (entry.status === 'sending')
      throw new AppError('invalid_params', 'This reply is being sent right now; try again in a moment.');
    await outboxItem.update(({ entries: { [entry_id]: _gone, ...entries }, client_keys }) => ({
      entries,
      client_keys: Object.fromEntries(Object.entries(client_keys).filter(([, id]) => id !== entry_id)),
    }));
    return { ok: true };
  },
  draftGet: async ({ key }, sender) => {
    await assertDraftKeyAllowed(key, sender);
    return { text: (await draftsItem.get())[key]?.text ?? '' };
  },
  draftSave: async ({ key, text }, sender) => {
    await assertDraftKeyAllowed(key, sender);
    await draftsItem.update(({ [key]: _old, ...rest }) =>
      text ? { ...rest, [key]: { text, updated_at: new Date().toISOString() } } : rest,
    );
    return { ok: true };
  },
};

/** Resumes the outbox on every worker start, on its alarm and when the network comes back. */
export function start(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === OUTBOX_ALARM) void kickOutbox();
  });
  self.addEventListener('online', () => void kickOutbox());
  void kickOutbox();
}
