import { expect, test } from './fixtures';

test('popup and options pages open and talk to the background worker', async ({ openExtensionPage }) => {
  const popup = await openExtensionPage('popup.html');
  await expect(popup.getByText('Service: sandbox')).toBeVisible();
  const options = await openExtensionPage('options.html');
  await expect(options.locator('h1')).toContainText('Options');
});
