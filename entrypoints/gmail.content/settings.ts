/**
 * The Gmail side of the user's settings, read from `local:settings` without zod (bundle budget): a plain merge over
 * the defaults, watched so changes apply at once. With them, the chosen service's notification senders the worker
 * accepted (`local:service_senders`), used only while the settings point at the service they were accepted for.
 */
import { EMAIL_KINDS, type EmailKind } from '@/utils/detect/kinds';
import { NO_SERVICE_SENDERS, type ServiceSenders } from '@/utils/detect/senders';
import type { StoredServiceSenders } from '@/utils/storage/service-senders';
import { readStored, watchStored } from './stored-settings';

export interface GmailSettings {
  kinds: ReadonlySet<EmailKind>;
  impersonation_warnings: boolean;
  service: ServiceSenders;
}

export const DEFAULT_GMAIL_SETTINGS: GmailSettings = {
  kinds: new Set(EMAIL_KINDS),
  impersonation_warnings: true,
  service: NO_SERVICE_SENDERS,
};

function serviceSendersFrom(stored: unknown, senders: unknown): ServiceSenders {
  const service = (stored as { service?: { mode?: unknown; base_url?: unknown } } | null)?.service;
  const s = senders as Partial<StoredServiceSenders> | null;
  if (
    service?.mode !== 'service' ||
    !s ||
    s.service !== service.base_url ||
    typeof s.domain !== 'string' ||
    !Array.isArray(s.addresses)
  )
    return NO_SERVICE_SENDERS;
  return { addresses: s.addresses.filter((a): a is string => typeof a === 'string'), domain: s.domain };
}

export function gmailSettingsFrom(stored: unknown, senders: unknown = null): GmailSettings {
  const gmail = (stored as { gmail?: Record<string, unknown> } | null)?.gmail;
  const service = serviceSendersFrom(stored, senders);
  if (!gmail || typeof gmail !== 'object') return { ...DEFAULT_GMAIL_SETTINGS, service };
  const kinds = Array.isArray(gmail.kinds)
    ? gmail.kinds.filter((k): k is EmailKind => (EMAIL_KINDS as readonly unknown[]).includes(k))
    : [...EMAIL_KINDS];
  const warnings = gmail.impersonation_warnings ?? gmail.warnings; // v1 called it `warnings`
  return { kinds: new Set(kinds), impersonation_warnings: typeof warnings === 'boolean' ? warnings : true, service };
}

export async function readGmailSettings(): Promise<GmailSettings> {
  const { settings, senders } = await readStored();
  return gmailSettingsFrom(settings, senders);
}

export function watchGmailSettings(onChange: (s: GmailSettings) => void): () => void {
  return watchStored(({ settings, senders }) => onChange(gmailSettingsFrom(settings, senders)));
}
