/**
 * Options → Emails from the service (issue 15) in Chromium against the loopback sandbox, which implements the
 * per-link notification settings (`Link.notifications`, `PATCH /v1/links/{id}/notifications`): each linked account's
 * emailed kinds, changed on the service and read back from it; the sentence that replies by email reach TikTok from
 * any mail app only where the service takes them (`features.reply_by_email`).
 */
import type { Page } from '@playwright/test';
import { expectAccessible } from '../support/axe';
import { linkAccount } from '../support/link';
import { control, useSandboxService } from '../support/sandbox';
import { saveScreenshot } from '../support/screenshots';
import { SERVICE_FROM, useService } from '../support/service-notifications';
import { expect, test } from './fixtures';

const ROBIN = 'robin.emails@gmail.com';
const SAM = 'sam.emails@gmail.com';
const KINDS = ['Direct messages', 'Comments on your videos', 'Mentions', 'New followers', 'Ads Manager authorizations'];

const section = (options: Page) => options.getByRole('region', { name: 'Emails from the service' });
const account = (options: Page, gmail: string) =>
  section(options).getByRole('group', { name: new RegExp(`^${gmail.replace(/\./g, '\\.')} \\(TikTok @`) });
const checked = (options: Page, gmail: string) =>
  Promise.all(KINDS.map((kind) => account(options, gmail).getByRole('checkbox', { name: kind }).isChecked()));

test('per linked account, the kinds the service emails: changed there and read back; replies by email work from any mail app', async ({
  context,
  worker,
  sandbox,
  openExtensionPage,
}) => {
  await useService(await worker(), sandbox.url, context, [SERVICE_FROM.email]);
  const options = await openExtensionPage('options.html');
  await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: ROBIN });
  await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: SAM });
  await options.reload();

  await expect(section(options)).toContainText(
    'Reply to one of these emails as to any other email — from any mail app, your phone included — and your reply goes to TikTok.',
  );
  // The service's defaults: direct messages and comments.
  expect(await checked(options, ROBIN)).toEqual([true, true, false, false, false]);
  expect(await checked(options, SAM)).toEqual([true, true, false, false, false]);

  await account(options, ROBIN).getByRole('checkbox', { name: 'Direct messages' }).uncheck();
  await expect(options.getByTestId('emails-status')).toHaveText(`Saved for ${ROBIN}.`);
  await account(options, ROBIN).getByRole('checkbox', { name: 'New followers' }).check();
  await expect(account(options, ROBIN).getByRole('checkbox', { name: 'New followers' })).toBeChecked();
  await expectAccessible(options, 'options emails from the service');
  await saveScreenshot(section(options), 'docs/screenshots/options-emails.png');

  // Read back from the service: Robin's choice kept, Sam's untouched.
  await options.reload();
  await expect(account(options, ROBIN).getByRole('checkbox', { name: 'New followers' })).toBeChecked();
  expect(await checked(options, ROBIN)).toEqual([false, true, false, true, false]);
  expect(await checked(options, SAM)).toEqual([true, true, false, false, false]);
});

test('a service that takes no replies by email: the kinds without the reply sentence (tiktok-like profile)', async ({
  worker,
  sandbox,
  context,
  openExtensionPage,
}) => {
  await control(sandbox.url, 'profile', { profile: 'tiktok-like' });
  await useSandboxService(await worker(), sandbox.url);
  const options = await openExtensionPage('options.html');
  await linkAccount({ context, page: options, sandboxUrl: sandbox.url, gmail: ROBIN });
  await options.reload();
  await expect(account(options, ROBIN).getByRole('checkbox', { name: 'Comments on your videos' })).toBeChecked();
  await expect(section(options)).not.toContainText('from any mail app');
});
