/**
 * Unread TikTok activity is cleared as the user reads it: opening a TikTok email in Gmail (the live replica fed by
 * the loopback sandbox) drops the badge count of that kind; the popup's activity strip shows the counts per kind,
 * Open shows that kind's TikTok mail in the Gmail tab and marks it read, and Mark all read clears the badge.
 */
import type { Worker } from '@playwright/test';
import { SEED_GMAIL } from '@/utils/sandbox';
import { openReplica, threadIdOf } from '../support/gmail-replica';
import { sendMessage } from '../support/link';
import { openLinkPopup } from '../support/popup';
import { control, mailbox } from '../support/sandbox';
import { expect, test } from './fixtures';

const GMAIL = SEED_GMAIL;
const badge = (worker: Worker) =>
  worker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
    ).chrome.action.getBadgeText({}),
  );

test('reading TikTok mail in Gmail and in the popup clears the badge, kind by kind', async ({
  context,
  openExtensionPage,
  worker,
  sandbox,
  linkOnSandbox,
}) => {
  const { page } = await linkOnSandbox(GMAIL);
  await sendMessage(page, 'pollNow', {});
  await sendMessage(page, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });

  for (const type of ['message', 'comment', 'follower'] as const) {
    await control(sandbox.url, 'simulate', { type, to_gmail: GMAIL, from_username: 'maya.creates' });
  }
  await sendMessage(page, 'pollNow', {});
  const w = await worker();
  expect(await badge(w)).toBe('3');

  // Open the TikTok message in Gmail: the messages count goes, the others stay.
  const gmail = await openReplica(context, { sandboxUrl: sandbox.url, gmail: GMAIL, layout: 'inbox' });
  await expect(gmail.locator('tr.zA[data-ttg-kind]')).toHaveCount(4); // with the link's code email
  expect(await badge(w)).toBe('3'); // rows in the list are not read
  const message = (await mailbox(sandbox.url, GMAIL)).find((m) => m.kind === 'message')!;
  await gmail.locator(`tr.zA:has([data-legacy-thread-id="${threadIdOf(message)}"])`).click();
  await expect(gmail.locator('div.adn')).toHaveAttribute('data-ttg-kind', 'message');
  await expect.poll(() => badge(w)).toBe('2');
  await gmail.goBack(); // back to the list; opening it again counts nothing twice

  // The popup shows what is left, per kind.
  const popup = await openLinkPopup(openExtensionPage, GMAIL);
  const strip = popup.getByRole('region', { name: 'New on TikTok' });
  await expect(strip.getByRole('listitem')).toHaveText([/^Comments\s*1/, /^Followers\s*1/]);

  // Open on Comments: that mail in the Gmail tab of the account, and the comments count goes.
  await strip.getByRole('button', { name: 'Open Comments in Gmail (1 new)' }).click();
  // Gmail searches TikTok's comment and mention subjects in every language detection knows.
  await expect(gmail).toHaveURL(
    /^https:\/\/mail\.google\.com\/mail\/u\/0\/#search\/from%3A\(tiktok\.com\)\+\(%22commented%22\+OR\+%22mentioned\+you%22\+OR\+.*%22\)$/,
  );
  await expect.poll(() => badge(w)).toBe('1');
  await popup.bringToFront();
  await expect(strip).toContainText('Comments marked as read.');
  await expect(strip.getByRole('listitem')).toHaveText([/^Followers\s*1/]);

  await strip.getByRole('button', { name: 'Mark all read' }).click();
  await expect(strip).toContainText('All TikTok activity marked as read.');
  await expect(strip).toContainText('No new TikTok activity');
  await expect(strip.locator('[aria-live="polite"]')).toHaveText('All TikTok activity marked as read.');
  expect(await badge(w)).toBe('');
});
