/**
 * What the chosen service is and can do (API 1.1 `GET /v1/service`): read when the worker starts, when the service is
 * chosen (settings change) and when it is tested, and kept in the vault for the pages (Options → Service, the popup
 * footer, the Ads review page). A 1.0 service (no such call) reads as everything on. The cached answer is tied to the
 * service it came from, so switching services never shows the old one's features.
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import { ServiceInfo } from '@/utils/api/schemas';
import type { Handlers } from '@/utils/messaging/router';
import { acceptNotificationSenders } from '@/utils/service-senders';
import { SERVICE_SENDERS_KEY, type StoredServiceSenders } from '@/utils/storage/service-senders';
import { readSettings, type Settings } from '@/utils/storage/settings';
import { vaultItem } from '@/utils/storage/vault';
import { clientFor } from './service';

const Cached = z.object({ service: z.string(), info: ServiceInfo, checked_at: z.string() });
const cachedItem = vaultItem('service-info', Cached.nullable(), () => null);

/** Which service the settings point at: `sandbox` or the base URL. */
const serviceKey = (s: Settings['service']) => (s.mode === 'sandbox' ? 'sandbox' : (s.base_url ?? ''));

/**
 * The service's notification senders the Gmail content script may treat as TikTok activity (utils/service-senders.ts);
 * nothing stored where there is nothing to trust (the sandbox, a loopback service).
 */
async function publishSenders(service: Settings['service'], info: ServiceInfo): Promise<void> {
  const { addresses, domain } = acceptNotificationSenders(
    service.mode === 'service' ? service.base_url : null,
    info.notification_senders,
  );
  if (!domain) return browser.storage.local.remove(SERVICE_SENDERS_KEY);
  const stored: StoredServiceSenders = { service: serviceKey(service), addresses, domain };
  await browser.storage.local.set({ [SERVICE_SENDERS_KEY]: stored });
}

/** Counts the refreshes begun: only the latest may keep its answer (an older one may come back after it). */
let latestRefresh = 0;

/**
 * Asks the configured service now and keeps its answer; throws when it cannot be reached. An answer that comes back
 * after a later refresh began (the worker's start racing a settings change) is answered but not kept, so what is
 * kept is always the service the settings point at last.
 */
export async function refreshServiceInfo(): Promise<ServiceInfo> {
  const refresh = ++latestRefresh;
  const { service } = await readSettings();
  const info = await (await clientFor({ maxRetries: 1 })).service();
  if (refresh !== latestRefresh) return info;
  await cachedItem.set({ service: serviceKey(service), info, checked_at: new Date().toISOString() });
  await publishSenders(service, info);
  return info;
}

/** The configured service's description: the kept one when it is for that service, else asked now (null if unreachable). */
export async function serviceInfo(): Promise<ServiceInfo | null> {
  const { service } = await readSettings();
  const cached = await cachedItem.get();
  if (cached && cached.service === serviceKey(service)) return cached.info;
  return refreshServiceInfo().catch(() => null);
}

export const handlers: Handlers = {
  serviceInfo: async () => {
    const { service } = await readSettings();
    return { mode: service.mode, info: await serviceInfo() };
  },
};

export function start(): void {
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'settings' in changes) void refreshServiceInfo().catch(() => undefined);
  });
  void refreshServiceInfo().catch(() => undefined);
}
