/**
 * The Gmail side of the user's settings, read from `local:settings` without zod (bundle budget): a plain merge over
 * the defaults, watched so changes apply at once.
 */
import { EMAIL_KINDS, type EmailKind } from '@/utils/detect/kinds';
import { readStoredSettings, watchStoredSettings } from './stored-settings';

export interface GmailSettings {
  kinds: ReadonlySet<EmailKind>;
  impersonation_warnings: boolean;
}

export const DEFAULT_GMAIL_SETTINGS: GmailSettings = { kinds: new Set(EMAIL_KINDS), impersonation_warnings: true };

export function gmailSettingsFrom(stored: unknown): GmailSettings {
  const gmail = (stored as { gmail?: Record<string, unknown> } | null)?.gmail;
  if (!gmail || typeof gmail !== 'object') return DEFAULT_GMAIL_SETTINGS;
  const kinds = Array.isArray(gmail.kinds) ? gmail.kinds.filter((k): k is EmailKind => (EMAIL_KINDS as readonly unknown[]).includes(k)) : [...EMAIL_KINDS];
  const warnings = gmail.impersonation_warnings ?? gmail.warnings; // v1 called it `warnings`
  return { kinds: new Set(kinds), impersonation_warnings: typeof warnings === 'boolean' ? warnings : true };
}

export async function readGmailSettings(): Promise<GmailSettings> {
  return gmailSettingsFrom(await readStoredSettings());
}

export function watchGmailSettings(onChange: (s: GmailSettings) => void): () => void {
  return watchStoredSettings((value) => onChange(gmailSettingsFrom(value)));
}
