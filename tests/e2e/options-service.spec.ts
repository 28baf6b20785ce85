/**
 * The options page against services that answer: the loopback HTTP sandbox (a service at a URL) and the built-in
 * sandbox's tools that let a new user try everything with no server. Choosing the service is a shared scenario
 * (tests/scenarios/options.ts), also run in Firefox.
 */
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { expect, test } from './fixtures';
import { sendMessage } from '../support/link';
import { chooseServiceWithPermission } from '../scenarios/options';

let server: SandboxServer;
test.beforeAll(async () => {
  server = await startSandboxServer();
});
test.afterAll(async () => {
  await server.close();
});

test('switching to the HTTP service asks for its origin only, and Test connection reaches it', ({ driver }) =>
  chooseServiceWithPermission(driver, server.url));

test('sandbox tools send TikTok activity into the built-in sandbox', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const tools = options.getByRole('region', { name: 'Sandbox tools' });
  await tools.getByRole('button', { name: 'Simulate a message' }).click();
  await expect(options.getByTestId('sandbox-status')).toHaveText('Enter the Gmail address that should receive it.');

  const gmail = 'try.it.out@gmail.com';
  await tools.getByRole('textbox', { name: 'Gmail address' }).fill(gmail);
  for (const [button, kind] of [
    ['Simulate a message', 'message'],
    ['Simulate a comment', 'comment'],
    ['Simulate a new follower', 'follower'],
  ] as const) {
    await tools.getByRole('button', { name: button }).click();
    await expect(options.getByTestId('sandbox-status')).toHaveText(`${button}: done for ${gmail}.`);
    const mailbox = await sendMessage(options, 'sandboxMailbox', { gmail });
    expect(mailbox.ok && (mailbox.data as { kind: string }[])[0]?.kind).toBe(kind);
  }
});
