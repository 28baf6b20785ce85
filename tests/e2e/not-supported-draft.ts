/**
 * What a reply the service refused with `not_supported` must look like, on the sandbox's `tiktok-like` profile and on
 * the real server alike: kept as a draft after one attempt (never retried), and in the popup's Drafts the reason
 * (TikTok's Business Accounts rule) with Open in TikTok instead of Retry.
 */
import type { Page } from '@playwright/test';
import { sendMessage as send } from '../support/link';
import { saveScreenshot } from '../support/screenshots';
import { expect } from './fixtures';

export async function expectNotSupportedDraft(o: {
  page: Page;
  openExtensionPage: (file: string) => Promise<Page>;
  gmail: string;
  text: string;
  screenshot: string;
}): Promise<void> {
  const entry = async () => {
    const r = await send(o.page, 'outboxList', { gmail: o.gmail });
    return r.ok ? r.data.find((e) => e.text === o.text) : undefined;
  };
  await expect.poll(async () => (await entry())?.status).toBe('draft');
  expect(await entry()).toMatchObject({ attempts: 1, next_attempt_at: null, error: { code: 'not_supported' } });
  expect((await entry())!.error!.message).toContain('Business Accounts');

  const popup = await o.openExtensionPage(`popup.html#drafts?gmail=${encodeURIComponent(o.gmail)}`);
  await popup.setViewportSize({ width: 380, height: 600 });
  const draft = popup.locator('.drafts li').filter({ hasText: o.text });
  await expect(draft).toContainText('Business Accounts');
  await expect(draft.getByRole('link', { name: 'Open in TikTok' })).toHaveAttribute(
    'href',
    'https://www.tiktok.com/messages',
  );
  await expect(draft.getByRole('button', { name: 'Retry' })).toHaveCount(0);
  await saveScreenshot(popup, o.screenshot);
  // Still one attempt: nothing retried it meanwhile.
  expect((await entry())!.attempts).toBe(1);
}
