/** The events poll alarm: created on start with the configured interval, re-created when the setting changes. */
import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { POLL_ALARM, start } from '@/entrypoints/background/events';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

beforeEach(() => fakeBrowser.reset());

describe('events poll alarm', () => {
  it('exists after start, every poll_minutes, and follows a settings change', async () => {
    start();
    await settle();
    expect(await fakeBrowser.alarms.get(POLL_ALARM)).toMatchObject({
      periodInMinutes: DEFAULT_SETTINGS.notifications.poll_minutes,
    });

    await fakeBrowser.storage.local.set({
      settings: { ...DEFAULT_SETTINGS, notifications: { ...DEFAULT_SETTINGS.notifications, poll_minutes: 5 } },
    });
    await settle();
    expect(await fakeBrowser.alarms.get(POLL_ALARM)).toMatchObject({ periodInMinutes: 5 });
  });
});
