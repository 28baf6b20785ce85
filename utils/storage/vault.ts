/**
 * The vault: IndexedDB of the extension's own origin. Only the worker and extension pages can open it; content
 * scripts run with the Gmail page's origin and cannot (unlike chrome.storage.local). Service sessions, the embedded
 * sandbox's state, the outbox, drafts and the events cursor live here, and it survives browser restarts.
 */
import { createStore, del, get, set, update, clear, type UseStore } from 'idb-keyval';
import type { z } from 'zod';

let db: UseStore | null = null;
const store = () => (db ??= createStore('ttg-vault', 'kv'));

export interface VaultItem<T> {
  key: string;
  get(): Promise<T>;
  set(value: T): Promise<void>;
  /** Atomic read-modify-write inside one IndexedDB transaction. */
  update(fn: (value: T) => T): Promise<T>;
  remove(): Promise<void>;
}

/** A typed vault entry; what is read back is parsed with `schema` and falls back when missing or broken. */
export function vaultItem<S extends z.ZodType>(
  key: string,
  schema: S,
  fallback: () => z.output<S>,
): VaultItem<z.output<S>> {
  const read = (raw: unknown): z.output<S> => {
    if (raw === undefined) return fallback();
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : fallback();
  };
  return {
    key,
    get: async () => read(await get(key, store())),
    set: (value) => set(key, schema.parse(value), store()),
    update: async (fn) => {
      let out!: z.output<S>;
      await update(key, (raw) => (out = schema.parse(fn(read(raw)))), store());
      return out;
    },
    remove: () => del(key, store()),
  };
}

export const clearVault = () => clear(store());
