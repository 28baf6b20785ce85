/**
 * User settings: validated with zod, versioned, kept in `storage.local` (not secret: the content script reads them
 * so that a change takes effect in Gmail at once).
 *
 * Versions:
 * - v1 (first preview): no quiet hours, the impersonation switch was `gmail.warnings`, the polling interval was
 *   `notifications.interval_s` in seconds, and the service URL could be saved with a path or a trailing slash.
 * - v2 (current): quiet hours, `gmail.impersonation_warnings`, `notifications.poll_minutes`, `service.base_url` an origin.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { EMAIL_KINDS } from '../detect/kinds';

export const NotificationKind = z.enum(['messages', 'comments', 'followers', 'ads']);
export type NotificationKind = z.infer<typeof NotificationKind>;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);

/** Why `url` cannot be a service URL, or null when it can: https, or plain http on this computer only. */
export function serviceUrlProblem(url: string): 'invalid' | 'insecure' | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid';
  }
  if (parsed.username || parsed.password) return 'invalid';
  if (parsed.protocol === 'https:') return null;
  if (parsed.protocol === 'http:') return LOOPBACK_HOSTS.has(parsed.hostname) ? null : 'insecure';
  return 'invalid';
}

/** The origin the service lives at (the API paths are relative to it). */
export const serviceOrigin = (url: string) => new URL(url).origin;

export const ServiceUrl = z
  .string()
  .url()
  .refine(
    (url) => serviceUrlProblem(url) === null,
    'The service URL must use https (plain http only on 127.0.0.1 or localhost).',
  );

export const Settings = z.object({
  service: z.object({
    mode: z.enum(['sandbox', 'service']),
    /** https origin (or http://127.0.0.1 / localhost for the loopback sandbox). */
    base_url: ServiceUrl.nullable(),
  }),
  gmail: z.object({
    kinds: z.array(z.enum(EMAIL_KINDS)),
    quick_actions: z.boolean(),
    impersonation_warnings: z.boolean(),
  }),
  notifications: z.object({
    kinds: z.array(NotificationKind),
    quiet_hours: z.object({ enabled: z.boolean(), start: hhmm, end: hhmm }),
    poll_minutes: z.number().int().min(1).max(60),
  }),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  service: { mode: 'sandbox', base_url: null },
  gmail: { kinds: [...EMAIL_KINDS], quick_actions: true, impersonation_warnings: true },
  notifications: {
    kinds: [...NotificationKind.options],
    quiet_hours: { enabled: false, start: '22:00', end: '07:00' },
    poll_minutes: 1,
  },
};

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * v1 → v2. Tolerant: it also accepts a value that is already v2-shaped (a value written without version metadata
 * is counted as v1), keeps every valid field and falls back to the default for anything that breaks the schema.
 */
export function migrateSettingsV1toV2(raw: unknown): Settings {
  const v1 = record(raw);
  const service = record(v1.service);
  const gmail = record(v1.gmail);
  const notifications = record(v1.notifications);
  const d = DEFAULT_SETTINGS;

  const url =
    typeof service.base_url === 'string' && serviceUrlProblem(service.base_url) === null
      ? serviceOrigin(service.base_url)
      : null;
  const mode = service.mode === 'service' && url ? 'service' : 'sandbox';
  const intervalS = typeof notifications.interval_s === 'number' ? notifications.interval_s : null;
  const pollMinutes =
    notifications.poll_minutes ??
    (intervalS === null ? d.notifications.poll_minutes : Math.min(60, Math.max(1, Math.round(intervalS / 60))));

  const pick = <T>(schema: z.ZodType<T>, value: unknown, fallback: T): T => {
    const parsed = schema.safeParse(value);
    return parsed.success ? parsed.data : fallback;
  };
  const shape = Settings.shape;
  return {
    service: { mode, base_url: url },
    gmail: {
      kinds: pick(shape.gmail.shape.kinds, gmail.kinds, d.gmail.kinds),
      quick_actions: pick(z.boolean(), gmail.quick_actions, d.gmail.quick_actions),
      impersonation_warnings: pick(
        z.boolean(),
        gmail.impersonation_warnings ?? gmail.warnings,
        d.gmail.impersonation_warnings,
      ),
    },
    notifications: {
      kinds: pick(shape.notifications.shape.kinds, notifications.kinds, d.notifications.kinds),
      quiet_hours: pick(shape.notifications.shape.quiet_hours, notifications.quiet_hours, d.notifications.quiet_hours),
      poll_minutes: pick(shape.notifications.shape.poll_minutes, pollMinutes, d.notifications.poll_minutes),
    },
  };
}

export const SETTINGS_VERSION = 2;

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: SETTINGS_VERSION,
  migrations: { 2: migrateSettingsV1toV2 },
});

/** Settings as stored; a field that breaks the schema is repaired to its default, the valid ones are kept. */
export async function readSettings(): Promise<Settings> {
  const stored = await settingsItem.getValue();
  const parsed = Settings.safeParse(stored);
  return parsed.success ? parsed.data : migrateSettingsV1toV2(stored);
}

export async function writeSettings(next: Settings): Promise<Settings> {
  const valid = Settings.parse(next);
  await settingsItem.setValue(valid);
  return valid;
}

/** Calls `listener` with the new settings whenever they change (in any context); returns the unwatch function. */
export function watchSettings(listener: (settings: Settings) => void): () => void {
  return settingsItem.watch((value) => {
    const parsed = Settings.safeParse(value);
    listener(parsed.success ? parsed.data : migrateSettingsV1toV2(value));
  });
}
