/**
 * Storage quota reached (issue 8 item 3): the vault (IndexedDB) refuses every write with QuotaExceededError, as a
 * full disk or a full origin quota does. Queuing a reply or saving a draft must then fail with the clear `quota`
 * message, leave what was stored untouched, and work (once, without duplicates) as soon as space is back.
 */
import { beforeEach, describe, expect, test, vi } from 'vitest';

const disk = vi.hoisted(() => ({ data: new Map<string, unknown>(), full: false, refused: 0 }));

vi.mock('idb-keyval', () => {
  const quota = () => {
    disk.refused++;
    return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  };
  const write = async (key: string, value: unknown) => {
    if (disk.full) throw quota();
    disk.data.set(key, structuredClone(value));
  };
  return {
    createStore: () => ({}),
    get: async (key: string) => structuredClone(disk.data.get(key)),
    set: write,
    update: async (key: string, fn: (old: unknown) => unknown) => write(key, fn(structuredClone(disk.data.get(key)))),
    del: async (key: string) =>
      void (disk.full
        ? (() => {
            throw quota();
          })()
        : disk.data.delete(key)),
    keys: async () => [...disk.data.keys()],
    clear: async () => disk.data.clear(),
  };
});

const { handlers } = await import('@/entrypoints/background/outbox');
const { dispatch } = await import('@/utils/messaging/router');
type Sent = Awaited<ReturnType<typeof dispatch>>;

const PAGE = { kind: 'page' as const, tabId: null, url: 'chrome-extension://test/popup.html' };
const GMAIL = 'victim.user@gmail.com';
const reply = (client_key: string, text = 'See you on Friday!') => ({
  gmail: GMAIL,
  target: { kind: 'message' as const, username: 'creator.one', conversation_id: 'cnv_1' },
  text,
  client_key,
});
const counts = { attempts: 0, quotaErrors: 0, lost: 0, duplicated: 0 };

function expectQuota(r: Sent): void {
  counts.attempts++;
  expect(r.ok).toBe(false);
  if (r.ok) return;
  counts.quotaErrors++;
  expect(r.error.code).toBe('quota');
  expect(r.error.message).toMatch(/storage .*full/i);
}

beforeEach(() => {
  disk.data.clear();
  disk.full = false;
});

describe('storage quota reached', () => {
  test('a reply queued while the vault is full fails with the quota message and is queued once when space is back', async () => {
    disk.full = true;
    expectQuota(await dispatch('sendReply', reply('client-key-0001'), PAGE, handlers));
    expectQuota(await dispatch('sendReply', reply('client-key-0001'), PAGE, handlers));
    const during = await dispatch('outboxList', {}, PAGE, handlers);
    expect(during).toEqual({ ok: true, data: [] });

    disk.full = false;
    // The user presses Send again (same composer, same client key) and then double-clicks: one entry.
    const first = await dispatch('sendReply', reply('client-key-0001'), PAGE, handlers);
    const again = await dispatch('sendReply', reply('client-key-0001'), PAGE, handlers);
    expect(first.ok && again.ok).toBe(true);
    const list = await dispatch('outboxList', {}, PAGE, handlers);
    const entries = list.ok ? (list.data as { text: string }[]) : [];
    if (entries.length === 0) counts.lost++;
    if (entries.length > 1) counts.duplicated += entries.length - 1;
    expect(entries).toHaveLength(1);
    expect(entries[0]!.text).toBe('See you on Friday!');
  });

  test('a draft saved while the vault is full keeps the previous text and says why', async () => {
    const key = `message:${GMAIL}:creator.one`;
    expect(await dispatch('draftSave', { key, text: 'first words' }, PAGE, handlers)).toEqual({
      ok: true,
      data: { ok: true },
    });
    disk.full = true;
    expectQuota(await dispatch('draftSave', { key, text: 'first words and more' }, PAGE, handlers));
    expect(await dispatch('draftGet', { key }, PAGE, handlers)).toEqual({ ok: true, data: { text: 'first words' } });
    disk.full = false;
    expect(await dispatch('draftSave', { key, text: 'first words and more' }, PAGE, handlers)).toEqual({
      ok: true,
      data: { ok: true },
    });
    expect(await dispatch('draftGet', { key }, PAGE, handlers)).toEqual({
      ok: true,
      data: { text: 'first words and more' },
    });
  });

  test('prints the counts', () => {
    console.log(
      `storage quota: ${counts.attempts} writes refused by a full vault, ${counts.quotaErrors} answered with the quota message, ` +
        `${counts.lost} replies lost, ${counts.duplicated} duplicated after space came back (${disk.refused} IndexedDB writes refused)`,
    );
    expect(counts.quotaErrors).toBe(counts.attempts);
    expect(counts.lost + counts.duplicated).toBe(0);
  });
});
