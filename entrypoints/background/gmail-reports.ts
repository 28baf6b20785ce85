/**
 * What the Gmail content scripts report besides their account (`gmail-tabs.ts`): the verification codes a tab saw,
 * kept per address for the popup to offer, and the selector health for Options → Diagnostics.
 */
import { storage } from 'wxt/utils/storage';
import { normaliseGmail } from '@/utils/gmail-address';
import type { SelectorHealth } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { assertMayActFor } from './sender-policy';

export const codesItem = (gmail: string) =>
  storage.defineItem<{ code: string; seen_at: string }[]>(`session:codes:${normaliseGmail(gmail)}`, { fallback: [] });
export const diagnosticsItem = storage.defineItem<SelectorHealth | null>('session:diagnostics', { fallback: null });

/**
 * Adds the codes a tab reported to those kept for `gmail` (a tab sends each code once, other tabs their own): one
 * entry per code with the first time it was seen (an old code shown again later is still old: the popup offers only
 * codes first seen after this attempt's code was sent), newest first, at most `MAX_CODES`, none older than a code lives.
 */
const MAX_CODES = 20;
const CODE_LIFE_MS = 60 * 60_000;
let codesWrite: Promise<unknown> = Promise.resolve();
export function updateCodes(
  gmail: string,
  codes: { code: string; seen_at: string }[],
  now = Date.now(),
): Promise<void> {
  const item = codesItem(gmail);
  const next = codesWrite.then(async () => {
    const byCode = new Map<string, string>();
    for (const c of [...(await item.getValue()), ...codes]) {
      const seen = byCode.get(c.code);
      if (!seen || c.seen_at < seen) byCode.set(c.code, c.seen_at);
    }
    const kept = [...byCode]
      .filter(([, seen_at]) => now - Date.parse(seen_at) < CODE_LIFE_MS)
      .sort(([, a], [, b]) => b.localeCompare(a))
      .slice(0, MAX_CODES)
      .map(([code, seen_at]) => ({ code, seen_at }));
    await item.setValue(kept);
  });
  codesWrite = next.catch(() => undefined);
  return next;
}

export const handlers: Handlers = {
  reportCodes: async ({ gmail, codes }, sender) => {
    await assertMayActFor(sender, gmail);
    await updateCodes(gmail, codes);
    return { ok: true };
  },
  reportDiagnostics: async (health) => {
    await diagnosticsItem.setValue(health);
    return { ok: true };
  },
};
