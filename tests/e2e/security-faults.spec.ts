/**
 * Faults (issue 8 item 3, end to end, the built extension with its embedded sandbox): the service failing in every
 * way the sandbox can fail (5xx, 429, dropped connections, slow answers, malformed JSON, schema-breaking responses),
 * the service worker stopped in the middle of a send, and the browser restarted with a reply still waiting. Each reply
 * reaches TikTok exactly once, none is lost, the worker keeps answering, and the outbox carries a clear message while
 * a reply waits. (The outbox's own 200-replies fault run is the worker engineer's; see docs/security.md.)
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import type { OutboxEntry } from '@/utils/messaging/catalogue';
import { launchWithExtension, extensionIdOf } from '../support/extension';
import { expect, test } from './fixtures';
import { GMAIL, call, inspect, linkGmail, simulate } from './inline-support';

test.describe.configure({ timeout: 150_000 });

const SENDER = 'fault.sender';
const log: string[] = [];
test.afterEach(() => {
  console.log(`faults (${log.length}):\n${log.join('\n')}`);
  log.length = 0;
});

async function conversationId(page: Page): Promise<string> {
  await simulate(page, { type: 'message', to_gmail: GMAIL, from_username: SENDER, text: 'Can you reply?' });
  const { conversation } = await call(page, 'conversationContext', { gmail: GMAIL, username: SENDER });
  if (!conversation) throw new Error('no conversation');
  return conversation.conversation_id;
}

/** A sentence a person can read: not empty, not a bare error code, not a stack trace. */
const isClear = (message: string) =>
  message.length >= 12 && /[a-z]{3,} [a-z]{3,}/i.test(message) && !/^\w+$|\n\s+at /.test(message);

const faults = (page: Page, body: Record<string, unknown>) => call(page, 'sandboxControl', { action: 'faults', body });

/** Sends a reply through the outbox as the composer does; does not wait for the first attempt. */
function send(page: Page, conversation_id: string, text: string, client_key: string): Promise<OutboxEntry> {
  return call(page, 'sendReply', {
    gmail: GMAIL,
    target: { kind: 'message', username: SENDER, conversation_id },
    text,
    client_key,
  });
}

async function entryOf(page: Page, text: string): Promise<OutboxEntry | undefined> {
  return (await call(page, 'outboxList', { gmail: GMAIL })).find((e) => e.text === text);
}

async function waitSent(page: Page, text: string, timeout = 60_000): Promise<OutboxEntry> {
  await expect
    .poll(async () => (await entryOf(page, text))?.status, { timeout, intervals: [250, 500, 1000] })
    .toBe('sent');
  return (await entryOf(page, text))!;
}

async function timesDelivered(page: Page, text: string): Promise<number> {
  return (await inspect(page)).conversations
    .flatMap((c) => c.messages)
    .filter((m) => m.direction === 'out' && m.text === text).length;
}

test('service faults of every kind: each reply is delivered exactly once, with a clear message while it waits', async ({
  context,
  openExtensionPage,
}) => {
  const page = await openExtensionPage('options.html');
  await linkGmail(context, page, GMAIL);
  const conv = await conversationId(page);
  const kinds: { kind: string; count: number; delay_ms?: number }[] = [
    { kind: '5xx', count: 6 },
    { kind: '429', count: 6 },
    { kind: 'drop', count: 3 },
    { kind: 'malformed', count: 2 },
    { kind: 'schema', count: 2 },
    { kind: 'delay', count: 2, delay_ms: 2500 },
  ];
  let delivered = 0;
  let twice = 0;
  let lost = 0;
  let unclear = 0;
  for (const [i, f] of kinds.entries()) {
    const text = `Reply through ${f.kind} faults #${i}`;
    await faults(page, {
      count: f.count,
      kinds: [f.kind],
      path_prefix: '/v1/links/',
      ...(f.delay_ms && { delay_ms: f.delay_ms }),
    });
    const started = Date.now();
    const first = await send(page, conv, text, `fault-key-${f.kind}-${i}`);
    // While it waits, the entry says what went wrong in words (not a bare code or a stack).
    const waiting = first.status === 'sent' ? null : (first.error?.message ?? '');
    if (waiting !== null && !isClear(waiting)) unclear++;
    // A double-click of Send (same client key) must not queue a second reply.
    await send(page, conv, text, `fault-key-${f.kind}-${i}`);
    let entry = await entryOf(page, text);
    if (entry?.status === 'draft') entry = await call(page, 'outboxRetry', { entry_id: entry.entry_id });
    entry = await waitSent(page, text).catch(() => entry);
    const times = await timesDelivered(page, text);
    if (times === 0) lost++;
    if (times > 1) twice++;
    if (times === 1) delivered++;
    log.push(
      `${f.kind.padEnd(9)} x${f.count}: first answer ${first.status}${waiting ? ` ("${waiting.slice(0, 90)}")` : ''}; ` +
        `final ${entry?.status} after ${entry?.attempts} attempt(s), ${((Date.now() - started) / 1000).toFixed(1)} s; delivered ${times}x`,
    );
  }
  const ping = await call(page, 'ping', {});
  log.push(
    `service faults: ${kinds.length} kinds, ${delivered} replies delivered once, ${lost} lost, ${twice} sent twice, ${unclear} unclear messages; worker answers ping (${ping.mode})`,
  );
  expect(lost).toBe(0);
  expect(twice).toBe(0);
  expect(delivered).toBe(kinds.length);
  expect(unclear).toBe(0);
});

/** Stops the extension's service worker the way Chrome does when it idles (DevTools target close). */
async function stopWorker(context: BrowserContext, page: Page): Promise<boolean> {
  const cdp = await context.newCDPSession(page);
  const { targetInfos } = (await cdp.send('Target.getTargets')) as {
    targetInfos: { targetId: string; type: string; url: string }[];
  };
  const sw = targetInfos.find((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
  if (!sw) return false;
  await cdp.send('Target.closeTarget', { targetId: sw.targetId });
  await cdp.detach();
  return true;
}

test('worker stopped mid-send and browser restarted with a reply waiting: each delivered once, no crash loop', async () => {
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ttg-restart-'));
  let context = await launchWithExtension({ userDataDir });
  const extensionId = await extensionIdOf(context);
  const open = async (ctx: BrowserContext) => {
    const p = await ctx.newPage();
    await p.goto(`chrome-extension://${extensionId}/options.html`);
    return p;
  };
  let page = await open(context);
  await linkGmail(context, page, GMAIL);
  const conv = await conversationId(page);

  // 1. The worker is stopped while the service is still answering a send.
  const slow = 'Sent while the worker was stopped';
  await faults(page, { count: 1, kinds: ['delay'], delay_ms: 3000, path_prefix: '/v1/links/' });
  void send(page, conv, slow, 'restart-key-0001').catch(() => undefined);
  await expect.poll(async () => (await entryOf(page, slow))?.status).toBe('sending');
  const stopped = await stopWorker(context, page);
  log.push(`worker stopped during the send: ${stopped ? 'yes' : 'NO (no worker target found)'}`);
  expect(stopped).toBe(true);
  await call(page, 'ping', {}); // wakes a new worker, whose start resumes the outbox
  const slowEntry = await waitSent(page, slow);
  log.push(
    `after the worker stop: "${slow}" ${slowEntry.status} after ${slowEntry.attempts} attempt(s), delivered ${await timesDelivered(page, slow)}x`,
  );

  // 2. The browser quits while a reply waits for the service to recover.
  const waiting = 'Sent after the browser restarted';
  await faults(page, { count: 100, kinds: ['5xx'], path_prefix: '/v1/links/' });
  const first = await send(page, conv, waiting, 'restart-key-0002');
  log.push(`before the restart: "${waiting}" ${first.status} ("${first.error?.message ?? ''}")`);
  expect(first.status).toBe('queued');
  expect(isClear(first.error?.message ?? '')).toBe(true);
  await context.close();

  context = await launchWithExtension({ userDataDir });
  page = await open(context);
  await faults(page, { count: 0, kinds: ['5xx'] });
  await call(page, 'pollNow', {}).catch(() => undefined);
  const resumed = await waitSent(page, waiting, 90_000);
  const workers = context.serviceWorkers().length;
  const counts = { slow: await timesDelivered(page, slow), waiting: await timesDelivered(page, waiting) };
  const ping = await call(page, 'ping', {});
  log.push(
    `after the restart: "${waiting}" ${resumed.status} after ${resumed.attempts} attempt(s); delivered ${counts.waiting}x; "${slow}" still ${counts.slow}x; ${workers} worker, ping ${ping.mode}`,
  );
  expect(counts).toEqual({ slow: 1, waiting: 1 });
  expect(workers).toBe(1);
  await context.close();
});
