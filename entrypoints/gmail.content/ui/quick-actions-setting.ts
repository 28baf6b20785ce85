/** Settings `gmail.quick_actions`, read from storage.local without zod (the content script stays small). */
import { readStoredSettings, watchStoredSettings } from '../stored-settings';

interface StoredSettings {
  gmail?: { quick_actions?: unknown };
}

const enabled = (s: unknown) => (s as StoredSettings | null)?.gmail?.quick_actions !== false;

export async function quickActionsEnabled(): Promise<boolean> {
  return enabled(await readStoredSettings());
}

export function watchQuickActions(cb: (on: boolean) => void): () => void {
  return watchStoredSettings((s) => cb(enabled(s)));
}
