/**
 * Screenshots for docs/screenshots, taken by the e2e tests only when asked (`npm run screenshots`, i.e.
 * `TTG_SCREENSHOTS=1`), so an ordinary test run never rewrites files in the repository.
 */
import type { Locator, Page } from '@playwright/test';

export async function saveScreenshot(
  target: Page | Locator,
  file: string,
  opts: { fullPage?: boolean } = {},
): Promise<void> {
  if (!process.env.TTG_SCREENSHOTS) return;
  await target.screenshot({ path: file, ...opts });
}
