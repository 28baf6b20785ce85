/**
 * The stored `settings` object (storage.local key `settings`, which WXT storage calls `local:settings`), read and watched
 * with the plain storage API: the content script does not ship WXT's storage wrapper (bundle budget, issue 3).
 */
import browser from 'webextension-polyfill';

export async function readStoredSettings(): Promise<unknown> {
  const got = await browser.storage.local.get('settings');
  return got.settings ?? null;
}

export function watchStoredSettings(onChange: (value: unknown) => void): () => void {
  const listener = (changes: Record<string, { newValue?: unknown }>, area: string) => {
    if (area === 'local' && 'settings' in changes) onChange(changes.settings.newValue ?? null);
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
