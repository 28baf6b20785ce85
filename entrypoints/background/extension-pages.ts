/**
 * Our own pages (popup as a tab, review, Ads, options, drafts): their URLs, built here from a page name and its
 * parameters (a caller never hands us a URL), and `openExtensionPage` for the Gmail UI.
 */
import browser from 'webextension-polyfill';
import type { Handlers } from '@/utils/messaging/router';
import { requestNamedIn } from './ads';
import { assertMayActFor } from './sender-policy';

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

export const handlers: Handlers = {
  openExtensionPage: async ({ page, gmail, authorization_id, subject }, sender) => {
    if (page === 'review' && !authorization_id && gmail && subject) {
      // Only for the account this tab shows; any failure (not linked, offline) still opens the review page.
      authorization_id =
        (await assertMayActFor(sender, gmail)
          .then(() => requestNamedIn(gmail, subject))
          .catch(() => null)) ?? undefined;
    }
    await browser.tabs.create({ url: extensionPageUrl(page, { gmail, authorization_id }) });
    return { ok: true };
  },
};
