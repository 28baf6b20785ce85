/**
 * The durable outbox around the state machine: the entry is in the vault before the network is touched, a double
 * submit is one entry, transient failures come back later with the same Idempotency-Key, refusals stay as drafts with
 * their reason, and an entry a stopped worker left in `sending` is sent again with its key.
 * The vault is an in-memory map here (happy-dom has no IndexedDB); the service is a fake client.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { AppError } from '@/utils/api/errors';
import type { OutboxEntry, ReplyTarget } from '@/utils/messaging/catalogue';
import type { SenderInfo } from '@/utils/messaging/router';
import { memory } from './support/memory-vault';

vi.mock('@/utils/storage/vault', () => import('./support/memory-vault'));

const sent = vi.hoisted(() => ({
  calls: [] as { text: string; key: string; entryInVault: unknown }[],
  outcomes: [] as (Error | null)[],
}));
vi.mock('@/entrypoints/background/service', () => ({
  activeLinkOf: async () => ({ link_id: 'link-1' }),
  serviceFor: async () => ({
    sendMessage: async (_link: string, _conv: string, body: { text: string }, key: string) => {
      const stored = (memory.get('outbox') as { entries: Record<string, OutboxEntry> }).entries;
      sent.calls.push({
        text: body.text,
        key,
        entryInVault: Object.values(stored).find((e) => e.idempotency_key === key)?.status,
      });
      const outcome = sent.outcomes.shift() ?? null;
      if (outcome) throw outcome;
      return { message_id: `m${sent.calls.length}`, sent_at: '2025-01-01T00:00:00Z', reply_window: undefined };
    },
  }),
}));

const { enqueueReply, handlers, kickOutbox, outboxItem } = await import('@/entrypoints/background/outbox');

const page: SenderInfo = { kind: 'page', tabId: null, url: 'chrome-extension://x/popup.html' } as SenderInfo;
const target: ReplyTarget = { kind: 'message', username: 'alice', conversation_id: 'c1' };
const GMAIL = 'me@gmail.com';
const entries = async () => Object.values((await outboxItem.get()).entries);
const send = (text: string, client_key: string) =>
  handlers.sendReply!({ gmail: GMAIL, target, text, client_key }, page) as Promise<OutboxEntry>;

beforeEach(() => {
  fakeBrowser.reset();
  memory.clear();
  sent.calls = [];
  sent.outcomes = [];
});

describe('durable outbox', () => {
  it('stores the entry before the network call and sends it once', async () => {
    const entry = await send('hello', 'client-key-1');
    expect(entry).toMatchObject({ status: 'sent', text: 'hello', attempts: 1 });
    expect(sent.calls).toEqual([{ text: 'hello', key: entry.idempotency_key, entryInVault: 'sending' }]);
  });

  it('a double submit with the same client_key is one entry and one send', async () => {
    const [a, b] = await Promise.all([send('hi', 'client-key-2'), send('hi', 'client-key-2')]);
    expect(a.entry_id).toBe(b.entry_id);
    await kickOutbox();
    expect(await entries()).toHaveLength(1);
    expect(sent.calls).toHaveLength(1);
  });

  it('a transient failure goes back to queued and is retried later with the same key', async () => {
    sent.outcomes = [new AppError('rate_limit_exceeded', 'slow down', { status: 429, retry_after_s: 30 })];
    const first = await send('later', 'client-key-3');
    expect(first).toMatchObject({ status: 'queued', error: { code: 'rate_limit_exceeded' } });
    expect(Date.parse(first.next_attempt_at!) - Date.now()).toBeGreaterThanOrEqual(29_000);
    await kickOutbox(); // the loop ends by setting the alarm that wakes a stopped worker
    expect((await fakeBrowser.alarms.get('outbox'))?.scheduledTime).toBeGreaterThanOrEqual(
      Date.parse(first.next_attempt_at!) - 1_000,
    );
    // The alarm fires (time has come): same key, now sent.
    await outboxItem.update((s) => ({
      ...s,
      entries: { [first.entry_id]: { ...s.entries[first.entry_id]!, next_attempt_at: new Date(0).toISOString() } },
      client_keys: s.client_keys,
    }));
    await kickOutbox();
    const [after] = await entries();
    expect(after).toMatchObject({ status: 'sent', attempts: 2 });
    expect(sent.calls.map((c) => c.key)).toEqual([first.idempotency_key, first.idempotency_key]);
  });

  it('a refusal becomes a draft with its reason; resending the same text keeps the key, edited text gets a new one', async () => {
    sent.outcomes = [new AppError('reply_window_expired', 'You can only reply within 48 hours.', { status: 409 })];
    const draft = await send('too late', 'client-key-4');
    expect(draft).toMatchObject({
      status: 'draft',
      error: { code: 'reply_window_expired', message: 'You can only reply within 48 hours.' },
    });
    expect(await entries()).toHaveLength(1);

    sent.outcomes = [new AppError('reply_window_expired', 'still expired', { status: 409 })];
    const same = (await handlers.outboxRetry!({ entry_id: draft.entry_id }, page)) as OutboxEntry;
    expect(same).toMatchObject({ status: 'draft', idempotency_key: draft.idempotency_key });

    const edited = (await handlers.outboxRetry!({ entry_id: draft.entry_id, text: 'edited' }, page)) as OutboxEntry;
    expect(edited).toMatchObject({ status: 'sent', text: 'edited' });
    expect(edited.idempotency_key).not.toBe(draft.idempotency_key);
  });

  it('an unknown outcome, then the link needs a sign-in: kept as a draft with its key, resent with it after the re-link', async () => {
    sent.outcomes = [new AppError('upstream_error', 'TikTok did not say whether it was sent.', { status: 502 })];
    const first = await send('maybe sent', 'client-key-7');
    expect(first).toMatchObject({ status: 'queued', error: { code: 'upstream_error' } });
    await outboxItem.update((s) => ({
      ...s,
      entries: { [first.entry_id]: { ...s.entries[first.entry_id]!, next_attempt_at: new Date(0).toISOString() } },
    }));
    sent.outcomes = [new AppError('reauth_required', 'TikTok needs you to sign in again.', { status: 401 })];
    await kickOutbox();
    const [draft] = await entries();
    expect(draft).toMatchObject({ status: 'draft', text: 'maybe sent', error: { code: 'reauth_required' } });
    // Signed in again: the person resends the draft; the service sees the first key, so it looks before sending.
    const resent = (await handlers.outboxRetry!({ entry_id: first.entry_id }, page)) as OutboxEntry;
    expect(resent).toMatchObject({ status: 'sent', idempotency_key: first.idempotency_key });
    expect(sent.calls.map((c) => c.key)).toEqual(Array(3).fill(first.idempotency_key));
  });

  it('an entry left in `sending` by a stopped worker is sent again with its key', async () => {
    const entry = await enqueueReply({ gmail: GMAIL, target, text: 'interrupted', client_key: 'client-key-5' });
    await outboxItem.update((s) => ({
      ...s,
      entries: { [entry.entry_id]: { ...entry, status: 'sending', attempts: 1 } },
    }));
    await kickOutbox();
    expect(await entries()).toEqual([expect.objectContaining({ status: 'sent', attempts: 2 })]);
    expect(sent.calls.map((c) => c.key)).toEqual([entry.idempotency_key]);
  });

  it('a Gmail tab may not list or act on replies of another Gmail account', async () => {
    const entry = await send('mine', 'client-key-6');
    const otherTab = { kind: 'gmail', tabId: 7, url: 'https://mail.google.com/mail/u/1/' } as SenderInfo;
    await fakeBrowser.storage.session.set({
      gmailTabs: { 7: { gmail: 'other@gmail.com', account_index: 1, reported_at: new Date().toISOString() } },
    });
    await expect(handlers.outboxList!({ gmail: GMAIL }, otherTab)).rejects.toMatchObject({ code: 'forbidden_sender' });
    await expect(handlers.outboxDiscard!({ entry_id: entry.entry_id }, otherTab)).rejects.toMatchObject({
      code: 'forbidden_sender',
    });
    expect(await handlers.outboxList!({}, otherTab)).toEqual([]);
  });
});

describe('composer drafts', () => {
  it('keep the text per draft key; a Gmail tab reaches only the drafts of its own account', async () => {
    await handlers.draftSave!({ key: `message:${GMAIL}:alice`, text: 'half a reply' }, page);
    expect(await handlers.draftGet!({ key: `message:${GMAIL}:alice` }, page)).toEqual({ text: 'half a reply' });

    await fakeBrowser.storage.session.set({
      gmailTabs: { 4: { gmail: GMAIL, account_index: 0, reported_at: new Date().toISOString() } },
    });
    const ownTab = { kind: 'gmail', tabId: 4, url: 'https://mail.google.com/mail/u/0/' } as SenderInfo;
    expect(await handlers.draftGet!({ key: `message:${GMAIL}:alice` }, ownTab)).toEqual({ text: 'half a reply' });
    await expect(handlers.draftGet!({ key: 'message:other@gmail.com:alice' }, ownTab)).rejects.toMatchObject({
      code: 'forbidden_sender',
    });

    await handlers.draftSave!({ key: `message:${GMAIL}:alice`, text: '' }, ownTab);
    expect(await handlers.draftGet!({ key: `message:${GMAIL}:alice` }, page)).toEqual({ text: '' });
  });
});
