/**
 * A change counter for links: the worker bumps storage.local `link_epoch` (a timestamp, nothing secret) whenever it
 * saves or forgets a link (linked, unlinked, re-auth needed), and open Gmail tabs, which cannot read the vault, ask
 * for their link state again at once instead of waiting to be hidden and shown.
 */
import browser from 'webextension-polyfill';

export const LINK_EPOCH_KEY = 'link_epoch';

export async function bumpLinkEpoch(now = Date.now()): Promise<void> {
  await browser.storage.local.set({ [LINK_EPOCH_KEY]: now });
}

/** Calls `onChange` whenever the worker saved a link change (also when storage was cleared). */
export function watchLinkEpoch(onChange: () => void): () => void {
  const listener = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && LINK_EPOCH_KEY in changes) onChange();
  };
  browser.storage.onChanged.addListener(listener);
  return () => browser.storage.onChanged.removeListener(listener);
}
