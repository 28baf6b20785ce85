/**
 * The popup as Chrome shows it: 380 px wide and at most 600 px tall. Every e2e test that opens the popup opens it
 * here, so a page wider than the popup (or a first screen taller than it) fails a test instead of reaching users.
 *
 * - `openPopup(openExtensionPage, hash?)`: popup.html at its real size; `hash` e.g. `ads?gmail=...`.
 * - `expectFitsPopup(page, { height })`: nothing wider than 380 px; with `height`, nothing taller than 600 px.
 */
import { expect, type Page } from '@playwright/test';

export const POPUP = { width: 380, height: 600 } as const;

export async function openPopup(openExtensionPage: (file: string) => Promise<Page>, hash = ''): Promise<Page> {
  const popup = await openExtensionPage(`popup.html${hash ? `#${hash}` : ''}`);
  await popup.setViewportSize(POPUP);
  return popup;
}

/** The link flow's popup for `gmail` (the Link tab). */
export const openLinkPopup = (openExtensionPage: (file: string) => Promise<Page>, gmail?: string) =>
  openPopup(openExtensionPage, gmail ? `link?gmail=${encodeURIComponent(gmail)}` : '');

export async function expectFitsPopup(page: Page, opts: { height?: boolean } = {}): Promise<void> {
  const size = () =>
    page.evaluate(() => ({
      width: document.documentElement.scrollWidth,
      height: document.documentElement.scrollHeight,
    }));
  await expect
    .poll(async () => (await size()).width, { message: 'content wider than the 380 px popup' })
    .toBeLessThanOrEqual(POPUP.width);
  if (opts.height)
    await expect
      .poll(async () => (await size()).height, { message: 'content taller than the 600 px popup' })
      .toBeLessThanOrEqual(POPUP.height);
}
