/**
 * Sandbox activity → the worker's events poll → the toolbar badge and desktop notifications with the right content.
 * More than 3 at once become one grouped notification; the cursor survives a worker stop (no duplicate); a click or
 * markRead clears what was read from the badge; "!" when the service is unreachable or the session is no longer valid.
 * A click opens the Gmail search for that user when a Gmail tab shows the account, else the TikTok page, else the popup.
 */
import type { Worker } from '@playwright/test';
import { SEED_GMAIL } from '@/utils/sandbox';
import { startSandboxServer } from '@/utils/sandbox/http-server';
import { sendMessage } from '../support/link';
import { control } from '../support/sandbox';
import { currentWorker, stopServiceWorker } from '../support/worker';
import { expect, test } from './fixtures';
import { badgeAcrossBackgroundStop } from '../scenarios/background';

/** The account the Gmail inbox fixture shows, so its tab reports the linked address. */
const GMAIL = SEED_GMAIL;

type Created = { id: string; title: string; message: string };

/** Records every notification the worker creates (in the worker's memory; a stop forgets the spy, not the data). */
async function spyNotifications(worker: Worker): Promise<void> {
  await worker.evaluate(() => {
    type Create = (id: string, options: { title: string; message: string }) => Promise<string>;
    const g = globalThis as unknown as { __created?: unknown[]; chrome: { notifications: { create: Create } } };
    if (g.__created) return;
    g.__created = [];
    const original = g.chrome.notifications.create.bind(g.chrome.notifications);
    g.chrome.notifications.create = (id, options) => {
      g.__created!.push({ id, title: options.title, message: options.message });
      return original(id, options);
    };
  });
}
const created = (worker: Worker) =>
  worker.evaluate(() => (globalThis as unknown as { __created: Created[] }).__created);
/** What a click on notification `id` does: Chrome's own event, dispatched to the worker's listeners. */
const click = (worker: Worker, id: string) =>
  worker.evaluate((id) => {
    (
      globalThis as unknown as { chrome: { notifications: { onClicked: { dispatch(id: string): void } } } }
    ).chrome.notifications.onClicked.dispatch(id);
  }, id);
const title = (worker: Worker) =>
  worker.evaluate(() =>
    (globalThis as unknown as { chrome: { action: { getTitle(d: object): Promise<string> } } }).chrome.action.getTitle(
      {},
    ),
  );
const badge = (worker: Worker) =>
  worker.evaluate(() =>
    (
      globalThis as unknown as { chrome: { action: { getBadgeText(d: object): Promise<string> } } }
    ).chrome.action.getBadgeText({}),
  );

test('activity shows on the badge and as notifications, once, across a worker stop; link problems show as "!"', async ({
  context,
  openGmail,
  worker,
  sandbox,
  linkOnSandbox,
}) => {
  const navigations: string[] = [];
  context.on('request', (r) => r.isNavigationRequest() && navigations.push(r.url()));
  const { page } = await linkOnSandbox(GMAIL);
  await sendMessage(page, 'pollNow', {}); // the link's own events (if any) are not what this test is about
  await sendMessage(page, 'markRead', { kinds: ['messages', 'comments', 'followers', 'ads'] });

  let w = await worker();
  await spyNotifications(w);
  await control(sandbox.url, 'simulate', { type: 'message', to_gmail: GMAIL, from_username: 'maya.creates' });
  const polled = await sendMessage(page, 'pollNow', {});
  expect(polled.ok && polled.data).toMatchObject({ messages: 1 });
  expect(await badge(w)).toBe('1');
  const [first] = await created(w);
  expect(first).toMatchObject({ title: 'New TikTok message', message: '@maya.creates sent you a message' });
  await click(w, first!.id);
  // (The test browser refuses every remote host but Gmail and the sandbox: the navigation is what counts.)
  await expect.poll(() => navigations).toContain('https://www.tiktok.com/messages');
  await expect.poll(() => badge(w)).toBe(''); // the user went to read it

  // The worker is stopped; the next poll must not show the same message again.
  await stopServiceWorker(context);
  expect((await sendMessage(page, 'ping', {})).ok).toBe(true);
  w = await currentWorker(context);
  await spyNotifications(w);
  await sendMessage(page, 'pollNow', {});
  expect(await created(w)).toEqual([]);
  expect(await badge(w)).toBe(''); // a replayed event would count again

  // Four at once: one grouped notification, and the badge counts them all.
  for (const from_username of ['fan.one', 'fan.two', 'fan.three', 'fan.four']) {
    await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username });
  }
  await sendMessage(page, 'pollNow', {});
  const grouped = await created(w);
  expect(grouped).toHaveLength(1);
  expect(grouped[0]).toMatchObject({ title: '4 new TikTok updates' });
  expect(grouped[0]!.message).toContain('@fan.one started following you');
  expect(await badge(w)).toBe('4');
  await click(w, grouped[0]!.id);
  await expect.poll(() => context.pages().filter((p) => p.url().endsWith('/popup.html'))).toHaveLength(1);
  await expect.poll(() => badge(w)).toBe('');

  // With a Gmail tab showing the account, a click shows that user's TikTok emails in it.
  const gmail = await openGmail({ url: 'https://mail.google.com/mail/u/0/#inbox' });
  await expect.poll(() => sendMessage(page, 'activeGmail', {})).toMatchObject({ ok: true, data: { gmail: GMAIL } });
  await control(sandbox.url, 'simulate', { type: 'comment', to_gmail: GMAIL, from_username: 'maya.creates' });
  await sendMessage(page, 'pollNow', {});
  const comment = (await created(w))[1]!;
  expect(comment).toMatchObject({ title: 'New TikTok comment', message: '@maya.creates commented on your video' });
  expect(await badge(w)).toBe('1');
  await click(w, comment.id);
  await expect(gmail).toHaveURL(
    'https://mail.google.com/mail/u/0/#search/from%3Anotification%40service.tiktok.com+maya.creates',
  );
  await expect.poll(() => badge(w)).toBe('');

  // Read elsewhere (Gmail, the popup): markRead clears what it names, and only that.
  await control(sandbox.url, 'simulate', { type: 'follower', to_gmail: GMAIL, from_username: 'fan.five' });
  await control(sandbox.url, 'simulate', { type: 'message', to_gmail: GMAIL, from_username: 'fan.five' });
  await sendMessage(page, 'pollNow', {});
  expect(await badge(w)).toBe('2');
  await sendMessage(page, 'markRead', { kinds: ['followers'] });
  expect(await badge(w)).toBe('1');
  await sendMessage(page, 'markRead', { kinds: ['messages'] });
  expect(await badge(w)).toBe('');

  // Link health: the service goes away → "!" with a title that says so; it comes back → the count again.
  const url = new URL(sandbox.url);
  await sandbox.close();
  await sendMessage(page, 'pollNow', {});
  expect(await badge(w)).toBe('!');
  expect(await title(w)).toBe("Can't reach the TikTok Gmail Link service. Open the extension to check the connection.");
  // A service that no longer knows the session (a fresh sandbox on the same port): the link needs signing in again.
  const fresh = await startSandboxServer({ port: Number(url.port) });
  try {
    await sendMessage(page, 'pollNow', {});
    expect(await badge(w)).toBe('!');
    expect(await title(w)).toBe('TikTok needs you to sign in again. Open the extension to fix the link.');
  } finally {
    await fresh.close();
  }
});

test('badge and events across a service worker stop (shared with Firefox: tests/scenarios/background.ts)', ({
  driver,
  sandbox,
}) => badgeAcrossBackgroundStop(driver, sandbox.url));
