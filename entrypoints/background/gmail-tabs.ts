/**
 * The registry of Gmail tabs: which Gmail account each tab shows, as its content script reported it. A tab's account
 * is fixed by the first report of each document; the sender policy (`sender-policy.ts`) and notification clicks
 * (`tabShowing`) rely on it.
 */
import browser from 'webextension-polyfill';
import { storage } from 'wxt/utils/storage';
import { AppError } from '@/utils/api/errors';
import { normaliseGmail } from '@/utils/gmail-address';
import type { Handlers } from '@/utils/messaging/router';

interface GmailTab {
  gmail: string;
  account_index: number;
  reported_at: string;
  /** The document that reported it (Chrome's documentId, else the content script's page id): a reload is a new one. */
  doc?: string;
}

/** Tab id → the Gmail account that tab shows. `storage.session`: trusted contexts only, gone on browser restart. */
const gmailTabsItem = storage.defineItem<Record<string, GmailTab>>('session:gmailTabs', { fallback: {} });

/** Writes to `gmailTabs` one after the other, so two tabs reporting at once do not overwrite each other. */
let tabsWrite: Promise<unknown> = Promise.resolve();
function updateTabs(fn: (tabs: Record<string, GmailTab>) => Record<string, GmailTab>): Promise<void> {
  const next = tabsWrite.then(async () => gmailTabsItem.setValue(fn(await gmailTabsItem.getValue())));
  tabsWrite = next.catch(() => undefined);
  return next;
}

export async function reportedGmailOfTab(tabId: number | null): Promise<GmailTab | null> {
  if (tabId === null) return null;
  // A tab's account report still being written counts: its next message (e.g. the codes it saw) may follow at once.
  await tabsWrite;
  return (await gmailTabsItem.getValue())[String(tabId)] ?? null;
}

/** The most recently reported tab showing `gmail`, to route a notification click to it. */
export async function tabShowing(gmail: string): Promise<{ tabId: number; account_index: number } | null> {
  const wanted = normaliseGmail(gmail);
  const matches = Object.entries(await gmailTabsItem.getValue())
    .filter(([, tab]) => tab.gmail === wanted)
    .sort(([, a], [, b]) => b.reported_at.localeCompare(a.reported_at));
  const [tabId, tab] = matches[0] ?? [];
  return tab ? { tabId: Number(tabId), account_index: tab.account_index } : null;
}

export const handlers: Handlers = {
  /**
   * A tab's account is fixed by the first report of each document: a page that later rewrites its title or account
   * label cannot move the tab (its codes, reads, replies) to another account. A new document (a reload, Gmail's own
   * account switch) reports afresh.
   */
  reportGmailAccount: async ({ gmail, account_index, page_id }, sender) => {
    const doc = sender.documentId ?? page_id;
    const wanted = normaliseGmail(gmail);
    let refused = false;
    await updateTabs((tabs) => {
      const current = tabs[String(sender.tabId)];
      if (current && current.doc === doc && current.gmail !== wanted) {
        refused = true;
        return tabs;
      }
      return {
        ...tabs,
        [String(sender.tabId)]: { gmail: wanted, account_index, reported_at: new Date().toISOString(), doc },
      };
    });
    if (refused)
      throw new AppError(
        'forbidden_sender',
        'This Gmail tab already reported another account; reload it to switch accounts.',
      );
    return { ok: true };
  },
  activeGmail: async () => {
    const [active] = await browser.tabs.query({ active: true, currentWindow: true });
    const tabs = await gmailTabsItem.getValue();
    const fromActive = active?.id !== undefined ? tabs[String(active.id)] : undefined;
    // The popup opened as a tab (or over a non-Gmail tab): fall back to the Gmail account reported last.
    const latest = Object.values(tabs).sort((a, b) => b.reported_at.localeCompare(a.reported_at))[0];
    const tab = fromActive ?? latest;
    return { gmail: tab?.gmail ?? null, account_index: tab?.account_index ?? null };
  },
};

/** Adds the tab-removal listener (synchronously, from the worker's main). */
export function start(): void {
  browser.tabs.onRemoved.addListener((tabId) => {
    void updateTabs(({ [String(tabId)]: _closed, ...rest }) => rest);
  });
}
