/**
 * The whole path against the loopback HTTP sandbox and the live Gmail replica: a TikTok user sends a message, its
 * notification email appears in the replica's list, the row's Reply chip opens the thread with the composer open,
 * and the sandbox's conversation holds the reply exactly once.
 */
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { openReplica } from '../support/gmail-replica';
import { linkAccount, pointAtSandbox } from '../support/link';
import { control } from '../support/sandbox';
import { expect, test } from './fixtures';
import { saveScreenshot } from '../support/screenshots';

const GMAIL = 'jamie.inline@gmail.com';
const SENDER = 'sam.replica.test';

let server: SandboxServer;
test.beforeEach(async () => {
  server = await startSandboxServer();
});
test.afterEach(async () => {
  await server.close();
});

interface Inspected {
  conversations: { participant?: { username: string }; messages: { direction: string; text: string }[] }[];
}

test('replica + HTTP sandbox: message email appears, the row chip opens the composer, the reply arrives exactly once', async ({
  context,
  worker,
  openExtensionPage,
}) => {
  await pointAtSandbox(await worker(), server.url);
  const page = await openExtensionPage('options.html');
  await linkAccount({ context, page, sandboxUrl: server.url, gmail: GMAIL });

  const gmail = await openReplica(context, { sandboxUrl: server.url, gmail: GMAIL, layout: 'inbox' });
  await control(server.url, 'simulate', { type: 'message', to_gmail: GMAIL, from_username: SENDER, text: 'Can I use your sound?' });

  // The new row arrives by polling, is detected, and offers Reply without opening the email.
  const chip = gmail.locator('ttg-chip').getByRole('button', { name: 'Reply', exact: true });
  await expect(chip).toBeVisible();
  await saveScreenshot(gmail, 'docs/screenshots/gmail-replica-row-reply-light.png');
  await chip.click();
  const bar = gmail.locator('ttg-inline');
  await expect(bar.getByRole('list', { name: 'Recent messages' })).toContainText('Can I use your sound?');
  const box = bar.getByRole('textbox', { name: `Reply to @${SENDER}` });
  await expect(box).toBeFocused();
  await box.fill('Yes, go ahead!');
  await box.press('Enter');
  await expect(bar.getByTestId('outbox-entry')).toHaveAttribute('data-status', 'sent');

  const { conversations } = await control<Inspected>(server.url, 'inspect');
  const withSender = conversations.filter((c) => JSON.stringify(c).includes(`"${SENDER}"`));
  expect(withSender).toHaveLength(1);
  expect(withSender[0]!.messages.filter((m) => m.direction === 'out').map((m) => m.text)).toEqual(['Yes, go ahead!']);
});
