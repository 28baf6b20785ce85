/**
 * storage.local `service_senders`: the chosen service's notification senders the worker accepted
 * (utils/service-senders.ts), for the Gmail content script, which cannot read the vault. Nothing secret; `service` is
 * the base URL they were accepted for, and the content script uses them only while the settings point at that URL.
 */
import type { ServiceSenders } from '../detect/senders';

export const SERVICE_SENDERS_KEY = 'service_senders';

export interface StoredServiceSenders extends ServiceSenders {
  service: string;
}
