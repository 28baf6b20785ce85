/** Settings `gmail.quick_actions`, read from storage.local without zod (the content script stays small). */
import { storage } from 'wxt/utils/storage';

interface StoredSettings {
  gmail?: { quick_actions?: unknown };
}
const item = storage.defineItem<StoredSettings | null>('local:settings', { fallback: null });

const enabled = (s: StoredSettings | null) => s?.gmail?.quick_actions !== false;

export async function quickActionsEnabled(): Promise<boolean> {
  return enabled(await item.getValue());
}

export function watchQuickActions(cb: (on: boolean) => void): () => void {
  return item.watch((s) => cb(enabled(s)));
}
