/**
 * What the Gmail content scripts report (which account each tab shows, codes seen, selector health), and the
 * sender checks built on it: a Gmail tab may only act for the Gmail address it reported.
 */
import browser from 'webextension-polyfill';
import { storage } from 'wxt/utils/storage';
import { AppError } from '@/utils/api/errors';
import type { SelectorHealth } from '@/utils/messaging/catalogue';
import type { Handlers, SenderInfo } from '@/utils/messaging/router';
import { requestNamedIn } from './ads';
import { normaliseGmail } from './gmail-address';

export interface GmailTab {
  gmail: string;
  account_index: number;
  reported_at: string;
  /** The document that reported it (Chrome's documentId, else the content script's page id): a reload is a new one. */
  doc?: string;
}

/** Tab id → the Gmail account that tab shows. `storage.session`: trusted contexts only, gone on browser restart. */
export const gmailTabsItem = storage.defineItem<Record<string, GmailTab>>('session:gmailTabs', { fallback: {} });
export const codesItem = (gmail: string) =>
  storage.defineItem<{ code: string; seen_at: string }[]>(`session:codes:${normaliseGmail(gmail)}`, { fallback: [] });
export const diagnosticsItem = storage.defineItem<SelectorHealth | null>('session:diagnostics', { fallback: null });

/** Writes to `gmailTabs` one after the other, so two tabs reporting at once do not overwrite each other. */
let tabsWrite: Promise<unknown> = Promise.resolve();
function updateTabs(fn: (tabs: Record<string, GmailTab>) => Record<string, GmailTab>): Promise<void> {
  const next = tabsWrite.then(async () => gmailTabsItem.setValue(fn(await gmailTabsItem.getValue())));
  tabsWrite = next.catch(() => undefined);
  return next;
}

/**
 * Adds the codes a tab reported to those kept for `gmail` (a tab sends each code once, other tabs their own): one
 * entry per code with the first time it was seen (an old code shown again later is still old: the popup offers only
 * codes first seen after this attempt's code was sent), newest first, at most `MAX_CODES`, none older than a code lives.
 */
const MAX_CODES = 20;
const CODE_LIFE_MS = 60 * 60_000;
let codesWrite: Promise<unknown> = Promise.resolve();
export function updateCodes(gmail: string, codes: { code: string; seen_at: string }[], now = Date.now()): Promise<void> {
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

/**
 * The Gmail addresses a sender may act for: every address for extension pages (`null`), only the address its tab
 * reported for the Gmail content script.
 */
export async function allowedGmail(sender: SenderInfo): Promise<string | null> {
  if (sender.kind === 'page') return null;
  const tab = await reportedGmailOfTab(sender.tabId);
  if (!tab) throw new AppError('forbidden_sender', 'This Gmail tab has not reported its account yet.');
  return tab.gmail;
}

/** Throws `forbidden_sender` unless `sender` may act for `gmail`. */
export async function assertMayActFor(sender: SenderInfo, gmail: string): Promise<void> {
  const allowed = await allowedGmail(sender);
  if (allowed !== null && allowed !== normaliseGmail(gmail)) {
    throw new AppError('forbidden_sender', 'A Gmail tab may only act for the Gmail account it shows.');
  }
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
      return { ...tabs, [String(sender.tabId)]: { gmail: wanted, account_index, reported_at: new Date().toISOString(), doc } };
    });
    if (refused) throw new AppError('forbidden_sender', 'This Gmail tab already reported another account; reload it to switch accounts.');
    return { ok: true };
  },
  reportCodes: async ({ gmail, codes }, sender) => {
    await assertMayActFor(sender, gmail);
    await updateCodes(gmail, codes);
    return { ok: true };
  },
  reportDiagnostics: async (health) => {
    await diagnosticsItem.setValue(health);
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
  openExtensionPage: async ({ page, gmail, authorization_id, subject }, sender) => {
    if (page === 'review' && !authorization_id && gmail && subject) {
      // Only for the account this tab shows; any failure (not linked, offline) still opens the review page.
      authorization_id = (await assertMayActFor(sender, gmail).then(() => requestNamedIn(gmail, subject)).catch(() => null)) ?? undefined;
    }
    await browser.tabs.create({ url: extensionPageUrl(page, { gmail, authorization_id }) });
    return { ok: true };
  },
};

/** URL of one of our own pages; the caller only ever chooses which page and its parameters, never the URL. */
export function extensionPageUrl(
  page: 'link' | 'review' | 'ads' | 'options' | 'drafts',
  params: { gmail?: string; authorization_id?: string } = {},
): string {
  const query = (entries: Record<string, string | undefined>) => {
    const q = new URLSearchParams(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined));
    return q.size ? `?${q}` : '';
  };
  switch (page) {
    case 'link':
      return browser.runtime.getURL(`/popup.html#link${query({ gmail: params.gmail })}`);
    case 'review':
      return browser.runtime.getURL(`/review.html${query({ id: params.authorization_id, gmail: params.gmail })}`);
    case 'ads':
      return browser.runtime.getURL(`/ads.html${query({ gmail: params.gmail })}`);
    case 'options':
      return browser.runtime.getURL('/options.html');
    case 'drafts':
      return browser.runtime.getURL('/popup.html#drafts');
  }
}

/** Adds the tab-removal listener (synchronously, from the worker's main). */
export function start(): void {
  browser.tabs.onRemoved.addListener((tabId) => {
    void updateTabs(({ [String(tabId)]: _closed, ...rest }) => rest);
  });
}
