/**
 * The options page against services that answer: the loopback HTTP sandbox (a service at a URL) and the built-in
 * sandbox's tools that let a new user try everything with no server.
 */
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { expect, test } from './fixtures';
import { sendMessage } from '../support/link';
import { fakePermissionPrompt } from '../support/permissions';

let server: SandboxServer;
test.beforeAll(async () => {
  server = await startSandboxServer();
});
test.afterAll(async () => {
  await server.close();
});

test('switching to the HTTP service asks for its origin only, and Test connection reaches it', async ({ openExtensionPage }) => {
  const options = await openExtensionPage('options.html');
  const prompt = await fakePermissionPrompt(options);
  const service = options.getByRole('region', { name: 'Service' });
  await service.getByRole('radio', { name: 'A service at a URL' }).check();
  await service.getByRole('textbox', { name: 'Service URL' }).fill(server.url);
  await service.getByRole('button', { name: 'Use this service' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(`Now using the service at ${server.url}.`);
  expect(await prompt.requests()).toEqual([{ origins: [`${server.url}/*`] }]);
  // Sandbox tools are for the built-in sandbox only.
  await expect(options.getByRole('region', { name: 'Sandbox tools' })).toHaveCount(0);

  await service.getByRole('button', { name: 'Test connection' }).click();
  await expect(options.getByTestId('service-status')).toHaveText(new RegExp(`^Connected to ${server.url.replace(/\./g, '\\.')} in \\d+ ms\\.$`));
});

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
