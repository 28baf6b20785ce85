/**
 * User settings: validated with zod, versioned, kept in `storage.local` (not secret: the content script reads them
 * so that a change takes effect in Gmail at once).
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { EMAIL_KINDS } from '../detect/kinds';

export const NotificationKind = z.enum(['messages', 'comments', 'followers', 'ads']);
export type NotificationKind = z.infer<typeof NotificationKind>;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

export const Settings = z.object({
  service: z.object({
    mode: z.enum(['sandbox', 'service']),
    /** https origin (or http://127.0.0.1 / localhost for the loopback sandbox). */
    base_url: z.string().url().nullable(),
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

export const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: DEFAULT_SETTINGS,
  version: 1,
});

/** Settings as stored, repaired to defaults if anything in storage breaks the schema. */
export async function readSettings(): Promise<Settings> {
  const parsed = Settings.safeParse(await settingsItem.getValue());
  return parsed.success ? parsed.data : DEFAULT_SETTINGS;
}

export async function writeSettings(next: Settings): Promise<Settings> {
  const valid = Settings.parse(next);
  await settingsItem.setValue(valid);
  return valid;
}
