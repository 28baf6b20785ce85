/**
 * The content script's feature registry (entrypoints/gmail.content/feature-registry.ts): features declared with
 * `features.add` start in order, a feature behind a setting follows `settings.gmail[setting]`, one that throws is
 * counted and stops nothing else, and the returned cleanup (WXT's ctx.onInvalidated) stops every one.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

const { features, startFeatures } = await import('@/entrypoints/gmail.content/feature-registry');

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

beforeEach(() => fakeBrowser.reset());

describe('feature registry', () => {
  it('starts every feature, follows a feature setting, counts a throw and stops them all', async () => {
    const log: string[] = [];
    features.add({ id: 'always', start: () => (log.push('always on'), () => log.push('always off')) });
    features.add({
      id: 'broken',
      start: () => {
        throw new Error('boom');
      },
    });
    features.add({
      id: 'quick',
      setting: 'quick_actions',
      start: () => (log.push('quick on'), () => log.push('quick off')),
    });
    await fakeBrowser.storage.local.set({ settings: { gmail: { quick_actions: false } } });
    const stats = { passes: 0, errors: 0, last_error: null as string | null };
    const stop = startFeatures({ stats, onViewChange: vi.fn(() => () => {}) });
    await settle();
    expect(log).toEqual(['always on']);
    expect(stats).toMatchObject({ errors: 1, last_error: 'boom' });

    await fakeBrowser.storage.local.set({ settings: { gmail: { quick_actions: true } } });
    await settle();
    expect(log).toEqual(['always on', 'quick on']);
    await fakeBrowser.storage.local.set({ settings: { gmail: {} } }); // not false: stays on
    await fakeBrowser.storage.local.set({ settings: { gmail: { quick_actions: false } } });
    await settle();
    expect(log).toEqual(['always on', 'quick on', 'quick off']);

    await fakeBrowser.storage.local.set({ settings: { gmail: { quick_actions: true } } });
    await settle();
    stop();
    expect(log).toEqual(['always on', 'quick on', 'quick off', 'quick on', 'always off', 'quick off']);
    await fakeBrowser.storage.local.set({ settings: { gmail: { quick_actions: true } } });
    await settle();
    expect(log).toHaveLength(6); // stopped: a setting change starts nothing
  });
});
