/**
 * The stored `settings` object (storage.local key `settings`, which WXT storage calls `local:settings`) and, beside
 * it, the chosen service's accepted notification senders (`service_senders`, written by the worker:
 * utils/storage/service-senders.ts), read and watched with the plain storage API: the content script does not ship
 * WXT's storage wrapper (bundle budget, issue 3).
 */
import browser from './native-browser';
import { SERVICE_SENDERS_KEY } from '@/utils/storage/service-senders';

export interface Stored {
  settings: unknown;
  senders: unknown;
}

const KEYS = ['settings', SERVICE_SENDERS_KEY];

export async function readStored(): Promise<Stored> {
  const got = await browser.storage.local.get(KEYS);
  return { settings: got.settings ?? null, senders: got[SERVICE_SENDERS_KEY] ?? null };
}

export const readStoredSettings = async (): Promise<unknown> => (await readStored()).settings;

/** Calls `onChange` with both, read again, whenever either changes. */
export function watchStored(onChange: (stored: Stored) => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && KEYS.some((key) => key in changes)) void readStored().then(onChange, () => undefined);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}

export const watchStoredSettings = (onChange: (settings: unknown) => void) =>
  watchStored((stored) => onChange(stored.settings));
