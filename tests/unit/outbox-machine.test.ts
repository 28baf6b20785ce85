import { describe, expect, it } from 'vitest';
import {
  BACKOFF_MAX_MS,
  backoffMs,
  claim,
  createEntry,
  isDue,
  isTransient,
  markFailed,
  markSent,
  nextWake,
  retryEntry,
} from '@/entrypoints/background/outbox-machine';

const T0 = Date.parse('2025-01-01T00:00:00Z');
const entry = () =>
  createEntry({
    entry_id: 'e1',
    idempotency_key: 'key-1',
    gmail: 'me@gmail.com',
    target: { kind: 'message', username: 'alice', conversation_id: 'c1' },
    text: 'hello',
    now: T0,
  });
const sending = () => claim(entry(), T0);

describe('outbox state machine', () => {
  it('starts queued, due at once, with its idempotency key fixed', () => {
    const e = entry();
    expect(e).toMatchObject({ status: 'queued', attempts: 0, next_attempt_at: null, idempotency_key: 'key-1' });
    expect(isDue(e, T0)).toBe(true);
  });

  it('claiming counts the attempt; an entry sent by this worker is not due, one left by a stopped worker is', () => {
    const s = sending();
    expect(s).toMatchObject({ status: 'sending', attempts: 1, idempotency_key: 'key-1' });
    expect(isDue(s, T0, new Set(['e1']))).toBe(false);
    expect(isDue(s, T0, new Set())).toBe(true);
    expect(claim(s, T0 + 1).idempotency_key).toBe('key-1');
  });

  it('stores the result when sent and is never due again', () => {
    const done = markSent(
      sending(),
      { id: 'm1', sent_at: 'x', reply_window: { state: 'open', expires_at: 'y', messages_remaining: 9 } },
      T0,
    );
    expect(done).toMatchObject({
      status: 'sent',
      result: { id: 'm1', reply_window: { messages_remaining: 9 } },
      error: null,
    });
    expect(isDue(done, T0 + 1e9)).toBe(false);
    expect(retryEntry(done, 'edited', () => 'new', T0)).toBe(done);
  });

  it.each([
    ['unreachable', undefined],
    ['bad_response', 200],
    ['internal_error', 500],
    ['upstream_error', 502],
    ['rate_limit_exceeded', 429],
  ])('a transient failure (%s) goes back to queued with a backoff, same key', (code, status) => {
    const failed = markFailed(sending(), { code, message: 'm', status }, T0, () => 0.5);
    expect(failed).toMatchObject({ status: 'queued', idempotency_key: 'key-1', error: { code } });
    expect(Date.parse(failed.next_attempt_at!)).toBeGreaterThan(T0);
    expect(isDue(failed, T0)).toBe(false);
    expect(isDue(failed, Date.parse(failed.next_attempt_at!))).toBe(true);
  });

  it.each([
    'reply_window_expired',
    'message_quota_exceeded',
    'text_too_long',
    'not_linked',
    'access_token_invalid',
    'reauth_required',
    'permission_denied',
    'not_found',
    'invalid_params',
  ])('a refusal (%s) becomes a draft with the reason, never dropped', (code) => {
    const failed = markFailed(sending(), { code, message: `because ${code}`, status: 409 }, T0);
    expect(failed).toMatchObject({
      status: 'draft',
      error: { code, message: `because ${code}` },
      text: 'hello',
      next_attempt_at: null,
    });
    expect(isDue(failed, T0 + 1e9)).toBe(false);
  });

  it('backoff grows exponentially, is capped, and honours retry_after_s', () => {
    expect(backoffMs(1, undefined, () => 1)).toBe(2_000);
    expect(backoffMs(3, undefined, () => 1)).toBe(8_000);
    expect(backoffMs(30, undefined, () => 1)).toBe(BACKOFF_MAX_MS);
    expect(backoffMs(1, undefined, () => 0)).toBe(1_000);
    expect(backoffMs(1, 42, () => 0)).toBe(42_000);
    const limited = markFailed(
      sending(),
      { code: 'rate_limit_exceeded', message: 'slow down', status: 429, retry_after_s: 30 },
      T0,
      () => 0,
    );
    expect(Date.parse(limited.next_attempt_at!) - T0).toBe(30_000);
  });

  it('classifies by HTTP status when the code is unknown', () => {
    expect(isTransient({ code: 'weird', message: '', status: 503 })).toBe(true);
    expect(isTransient({ code: 'weird', message: '', status: 400 })).toBe(false);
  });

  it('retrying a draft keeps the key unless the text changed', () => {
    const draft = markFailed(sending(), { code: 'reply_window_expired', message: 'expired', status: 409 }, T0);
    const same = retryEntry(draft, 'hello', () => 'key-2', T0);
    expect(same).toMatchObject({ status: 'queued', idempotency_key: 'key-1', error: null, next_attempt_at: null });
    const edited = retryEntry(draft, 'hello again', () => 'key-2', T0);
    expect(edited).toMatchObject({ status: 'queued', idempotency_key: 'key-2', text: 'hello again' });
  });

  it('wakes at the earliest queued entry', () => {
    const a = markFailed(sending(), { code: 'unreachable', message: '' }, T0, () => 1);
    const b = { ...a, entry_id: 'e2', next_attempt_at: new Date(T0 + 60_000).toISOString() };
    expect(nextWake([a, b])).toBe(Date.parse(a.next_attempt_at!));
    expect(nextWake([markSent(sending(), { id: 'x', sent_at: 'y' }, T0)])).toBeNull();
  });
});
