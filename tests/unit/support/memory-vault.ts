/**
 * The vault (utils/storage/vault.ts) as an in-memory map, for unit tests of worker code (happy-dom has no IndexedDB).
 * In a test file:
 *
 *   import { memory } from './support/memory-vault';
 *   vi.mock('@/utils/storage/vault', () => import('./support/memory-vault'));
 *
 * then import the code under test dynamically (`await import(...)`); `memory` holds what it stored, by key.
 */
export const memory = new Map<string, unknown>();

export const vaultItem = (key: string, schema: { parse(v: unknown): unknown }, fallback: () => unknown) => ({
  key,
  get: async () => (memory.has(key) ? structuredClone(memory.get(key)) : fallback()),
  set: async (v: unknown) => void memory.set(key, schema.parse(v)),
  update: async (fn: (v: unknown) => unknown) => {
    const next = schema.parse(fn(memory.has(key) ? structuredClone(memory.get(key)) : fallback()));
    memory.set(key, next);
    return next;
  },
  remove: async () => void memory.delete(key),
});
