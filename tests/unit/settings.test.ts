import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { DEFAULT_SETTINGS, migrateSettingsV1toV2, serviceUrlProblem, Settings } from '@/utils/storage/settings';

const V1 = {
  service: { mode: 'service', base_url: 'https://tt.example.org/api/' },
  gmail: { kinds: ['message', 'comment'], quick_actions: false, warnings: false },
  notifications: { kinds: ['messages'], interval_s: 300 },
};

/** A fresh module instance, so `defineItem` runs its migrations against what is in storage now. */
const loadSettingsModule = async () => {
  vi.resetModules();
  return import('@/utils/storage/settings');
};

beforeEach(() => fakeBrowser.reset());

describe('settings v1 → v2 migration', () => {
  it('renames the warnings switch, converts the interval, adds quiet hours and keeps the user choices', () => {
    expect(migrateSettingsV1toV2(V1)).toEqual({
      service: { mode: 'service', base_url: 'https://tt.example.org' },
      gmail: { kinds: ['message', 'comment'], quick_actions: false, impersonation_warnings: false },
      notifications: {
        kinds: ['messages'],
        quiet_hours: { enabled: false, start: '22:00', end: '07:00' },
        poll_minutes: 5,
      },
    });
  });

  it('leaves a v2-shaped value as it is (a value written without version metadata counts as v1)', () => {
    const v2: Settings = {
      ...DEFAULT_SETTINGS,
      notifications: {
        ...DEFAULT_SETTINGS.notifications,
        quiet_hours: { enabled: true, start: '23:30', end: '06:15' },
        poll_minutes: 7,
      },
    };
    expect(migrateSettingsV1toV2(v2)).toEqual(v2);
  });

  it('falls back to the sandbox when the v1 service URL is not allowed, and repairs broken fields one by one', () => {
    const migrated = migrateSettingsV1toV2({
      service: { mode: 'service', base_url: 'http://tt.example.org' },
      gmail: { kinds: ['message', 'not-a-kind'], quick_actions: 'yes' },
      notifications: { interval_s: 10 },
    });
    expect(migrated.service).toEqual({ mode: 'sandbox', base_url: null });
    expect(migrated.gmail).toEqual(DEFAULT_SETTINGS.gmail);
    expect(migrated.notifications.poll_minutes).toBe(1);
    expect(Settings.safeParse(migrated).success).toBe(true);
    expect(migrateSettingsV1toV2('garbage')).toEqual(DEFAULT_SETTINGS);
  });

  it('runs on stored v1 settings when the storage item is defined, and records version 2', async () => {
    await fakeBrowser.storage.local.set({ settings: V1 });
    const { readSettings } = await loadSettingsModule();
    const settings = await readSettings();
    expect(settings.gmail.impersonation_warnings).toBe(false);
    expect(settings.notifications.poll_minutes).toBe(5);
    const stored = await fakeBrowser.storage.local.get(['settings', 'settings$']);
    expect(stored['settings$']).toEqual({ v: 2 });
    expect((stored.settings as Settings).service.base_url).toBe('https://tt.example.org');
  });
});

describe('settings validation', () => {
  it('accepts https anywhere and http only on this computer', () => {
    expect(serviceUrlProblem('https://tt.example.org')).toBeNull();
    expect(serviceUrlProblem('http://127.0.0.1:8787')).toBeNull();
    expect(serviceUrlProblem('http://localhost:3000')).toBeNull();
    expect(serviceUrlProblem('http://tt.example.org')).toBe('insecure');
    expect(serviceUrlProblem('ftp://tt.example.org')).toBe('invalid');
    expect(serviceUrlProblem('https://user:pw@tt.example.org')).toBe('invalid');
    expect(serviceUrlProblem('not a url')).toBe('invalid');
  });

  it('writeSettings refuses what breaks the schema and stores nothing', async () => {
    const { writeSettings, readSettings } = await loadSettingsModule();
    const bad = { ...DEFAULT_SETTINGS, service: { mode: 'service', base_url: 'http://tt.example.org' } } as Settings;
    await expect(writeSettings(bad)).rejects.toThrow();
    await expect(
      writeSettings({ ...DEFAULT_SETTINGS, notifications: { ...DEFAULT_SETTINGS.notifications, poll_minutes: 0 } }),
    ).rejects.toThrow();
    expect(await readSettings()).toEqual(DEFAULT_SETTINGS);
  });

  it('readSettings keeps the valid fields of a partly broken value', async () => {
    const { readSettings } = await loadSettingsModule();
    await fakeBrowser.storage.local.set({
      settings: { ...DEFAULT_SETTINGS, gmail: { ...DEFAULT_SETTINGS.gmail, quick_actions: false, kinds: 'all' } },
    });
    const settings = await readSettings();
    expect(settings.gmail.quick_actions).toBe(false);
    expect(settings.gmail.kinds).toEqual(DEFAULT_SETTINGS.gmail.kinds);
  });

  it('watchSettings reports each change', async () => {
    const { watchSettings, writeSettings } = await loadSettingsModule();
    const seen: boolean[] = [];
    const unwatch = watchSettings((s) => seen.push(s.gmail.impersonation_warnings));
    await writeSettings({ ...DEFAULT_SETTINGS, gmail: { ...DEFAULT_SETTINGS.gmail, impersonation_warnings: false } });
    await vi.waitFor(() => expect(seen).toEqual([false]));
    unwatch();
  });
});
