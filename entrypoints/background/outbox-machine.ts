/**
 * The outbox state machine, pure: every transition of a reply, with no storage and no network.
 *
 *   queued ──claim──▶ sending ──sent──▶ sent
 *     ▲                 │  └─permanent refusal──▶ draft ──retry──▶ queued
 *     └──transient failure (backoff)┘
 *
 * An entry left in `sending` (the worker was stopped mid-send) is claimed again with the same idempotency key.
 */
import type { OutboxEntry, ReplyTarget } from '@/utils/messaging/catalogue';

/** Failures worth retrying later with the same idempotency key. Anything else is refused for good. */
const TRANSIENT = new Set(['unreachable', 'bad_response', 'internal_error', 'upstream_error', 'rate_limit_exceeded']);

export interface Failure {
  code: string;
  message: string;
  status?: number;
  retry_after_s?: number;
  /** `not_supported` (API 1.1): the page where the user can do it by hand. */
  fallback_url?: string;
}

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export function isTransient(failure: Failure): boolean {
  if (failure.code === 'not_supported') return false; // 501: this deployment cannot do it, a retry changes nothing
  if (TRANSIENT.has(failure.code)) return true;
  const status = failure.status ?? 0;
  return status === 429 || status >= 500;
}

/** Exponential backoff with full jitter over the upper half, never sooner than the service's `retry_after_s`. */
export function backoffMs(
  attempts: number,
  retryAfterS: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.max(jittered, (retryAfterS ?? 0) * 1000);
}

export function createEntry(input: {
  entry_id: string;
  idempotency_key: string;
  gmail: string;
  target: ReplyTarget;
  text: string;
  now: number;
}): OutboxEntry {
  const at = new Date(input.now).toISOString();
  return {
    entry_id: input.entry_id,
    gmail: input.gmail,
    target: input.target,
    text: input.text,
    idempotency_key: input.idempotency_key,
    status: 'queued',
    attempts: 0,
    next_attempt_at: null,
    created_at: at,
    updated_at: at,
    error: null,
    result: null,
  };
}

/** May the sender loop take this entry now? `sending` ones count only when nobody in this worker is sending them. */
export function isDue(entry: OutboxEntry, now: number, inFlight: ReadonlySet<string> = new Set()): boolean {
  if (inFlight.has(entry.entry_id)) return false;
  if (entry.status === 'sending') return true;
  if (entry.status !== 'queued') return false;
  return entry.next_attempt_at === null || Date.parse(entry.next_attempt_at) <= now;
}

export function claim(entry: OutboxEntry, now: number): OutboxEntry {
  return { ...entry, status: 'sending', attempts: entry.attempts + 1, updated_at: new Date(now).toISOString() };
}

export function markSent(entry: OutboxEntry, result: NonNullable<OutboxEntry['result']>, now: number): OutboxEntry {
  return {
    ...entry,
    status: 'sent',
    next_attempt_at: null,
    error: null,
    result,
    updated_at: new Date(now).toISOString(),
  };
}

export function markFailed(
  entry: OutboxEntry,
  failure: Failure,
  now: number,
  random: () => number = Math.random,
): OutboxEntry {
  const error = {
    code: failure.code,
    message: failure.message,
    ...(failure.fallback_url && { fallback_url: failure.fallback_url }),
  };
  const updated_at = new Date(now).toISOString();
  if (!isTransient(failure)) return { ...entry, status: 'draft', next_attempt_at: null, error, updated_at };
  const next = now + backoffMs(entry.attempts, failure.retry_after_s, random);
  return { ...entry, status: 'queued', next_attempt_at: new Date(next).toISOString(), error, updated_at };
}

/**
 * The user resends a draft (or a queued entry), optionally edited. The idempotency key changes only when the text
 * does: resending the same text must never post it twice.
 */
export function retryEntry(
  entry: OutboxEntry,
  text: string | undefined,
  newKey: () => string,
  now: number,
): OutboxEntry {
  if (entry.status === 'sent' || entry.status === 'sending') return entry;
  const changed = text !== undefined && text !== entry.text;
  return {
    ...entry,
    text: changed ? text : entry.text,
    idempotency_key: changed ? newKey() : entry.idempotency_key,
    status: 'queued',
    next_attempt_at: null,
    error: null,
    updated_at: new Date(now).toISOString(),
  };
}

/** When the sender loop should wake next: the earliest `next_attempt_at` of a queued entry, or null. */
export function nextWake(entries: Iterable<OutboxEntry>): number | null {
  let earliest: number | null = null;
  for (const e of entries) {
    if (e.status !== 'queued') continue;
    const at = e.next_attempt_at === null ? 0 : Date.parse(e.next_attempt_at);
    earliest = earliest === null ? at : Math.min(earliest, at);
  }
  return earliest;
}
