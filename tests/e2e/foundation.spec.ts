import { openPopup } from '../support/popup';
import { expect, test } from './fixtures';

test('popup and options pages open and talk to the background worker; the popup says which service it uses and leads to Options', async ({
  context,
  openExtensionPage,
}) => {
  const popup = await openPopup(openExtensionPage);
  await expect(popup.getByText('Service: built-in sandbox, not the real TikTok.')).toBeVisible();
  const [options] = await Promise.all([
    context.waitForEvent('page'),
    popup.getByRole('button', { name: 'Change service' }).click(),
  ]);
  await expect(options).toHaveURL(/\/options\.html/);
  await expect(options.locator('h1')).toContainText('Options');
});
