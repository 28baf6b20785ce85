/**
 * Background scenario, run in Chromium (tests/e2e/background-events.spec.ts) and Firefox: sandbox activity → the
 * events poll → the toolbar badge; the background is stopped the way the browser idles it out (service worker in
 * Chromium, event page in Firefox) and, started again by the next message, neither replays nor forgets the events.
 */
import { expect } from '@playwright/test';
import { SEED_GMAIL } from '@/utils/sandbox';
import { sendMessage } from '../support/link';
import { control } from '../support/sandbox';
import type { Driver } from './driver';
import { linkOnSandbox } from './support';

const badge = (d: Driver) =>
  d.extension(() => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const ext = (globalThis as any).browser ?? (globalThis as any).chrome;
    return ext.action.getBadgeText({}) as Promise<string>;
  });

export async function badgeAcrossBackgroundStop(d: Driver, sandboxUrl: string): Promise<void> {
  const GMAIL = SEED_GMAIL;
  const { page } = await linkOnSandbox(d, sandboxUrl, GMAIL);
  await sendMessage(page, 'pollNow', {}); // the link's own events (if any) are not what this scenario is about
  await sendMessage(page, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });
  expect(await badge(d)).toBe('');

  await control(sandboxUrl, 'simulate', { type: 'message', to_gmail: GMAIL, from_username: 'maya.creates' });
  const polled = await sendMessage(page, 'pollNow', {});
  expect(polled.ok && polled.data).toMatchObject({ messages: 1 });
  expect(await badge(d)).toBe('1');

  // The background is stopped; the next message starts it again, and the next poll must not count the message twice.
  await d.stopBackground();
  expect((await sendMessage(page, 'ping', {})).ok).toBe(true);
  const again = await sendMessage(page, 'pollNow', {});
  expect(again.ok && again.data).toMatchObject({ messages: 1 });
  expect(await badge(d)).toBe('1');

  // New activity after the restart adds to the count; reading it clears the badge.
  for (const from_username of ['fan.one', 'fan.two'])
    await control(sandboxUrl, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username });
  await sendMessage(page, 'pollNow', {});
  expect(await badge(d)).toBe('3');
  await sendMessage(page, 'markRead', { kinds: ['messages', 'followers'] });
  expect(await badge(d)).toBe('');
}
