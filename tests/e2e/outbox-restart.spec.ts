/**
 * Replies that could not be sent when the browser closed are sent after it starts again, once each: the outbox lives
 * in the extension's IndexedDB and the worker resumes it on startup, with the same Idempotency-Keys.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { extensionIdOf, launchWithExtension, serviceWorkerOf } from '../support/extension';
import { linkAccount, sendMessage } from '../support/link';
import { control, useSandboxService } from '../support/sandbox';
import { expect, test } from './fixtures';

const GMAIL = 'outbox.restart@gmail.com';
type Inspect = { conversations: { messages: { direction: string; text: string }[] }[] };

let server: SandboxServer;
test.beforeEach(async () => {
  server = await startSandboxServer();
});
test.afterEach(async () => {
  await server.close();
});

async function openOptions(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`chrome-extension://${await extensionIdOf(context)}/options.html`);
  return page;
}

test('replies still queued when the browser closes are sent once after it restarts', async () => {
  test.setTimeout(90_000);
  const userDataDir = mkdtempSync(path.join(tmpdir(), 'ttg-restart-'));
  const first = await launchWithExtension({ userDataDir });
  let page = await openOptions(first);
  await useSandboxService(await serviceWorkerOf(first), server.url);
  await linkAccount({ context: first, page, sandboxUrl: server.url, gmail: GMAIL });
  const { event } = await control<{ event: { ref: { conversation_id: string } } }>(server.url, 'simulate', {
    type: 'message',
    to_gmail: GMAIL,
    from_username: 'restart.fan',
  });
  const target = { kind: 'message' as const, username: 'restart.fan', conversation_id: event.ref.conversation_id };

  // The service fails every call for now: the replies wait in the outbox.
  await control(server.url, 'faults', { count: 1000, kinds: ['5xx'] });
  const texts = ['before the restart 1', 'before the restart 2', 'before the restart 3'];
  for (const [i, text] of texts.entries()) {
    const queued = await sendMessage(page, 'sendReply', {
      gmail: GMAIL,
      target,
      text,
      client_key: `restart-test-${i}`,
    });
    // The first one was tried and failed; the others wait behind it (replies to one conversation go in order).
    expect(queued).toMatchObject({
      ok: true,
      data: { status: 'queued', error: i === 0 ? { code: 'internal_error' } : null },
    });
  }
  await first.close();

  // The service is fine again while the browser is closed; the outbox resumes as soon as the browser starts.
  await control(server.url, 'faults', { count: 0, kinds: ['5xx'] });
  const second = await launchWithExtension({ userDataDir });
  try {
    const outTexts = async () =>
      (await control<Inspect>(server.url, 'inspect')).conversations.flatMap((c) =>
        c.messages.filter((m) => m.direction === 'out' && m.text.startsWith('before the restart')).map((m) => m.text),
      );
    await expect.poll(outTexts, { timeout: 30_000 }).toEqual(texts);
    page = await openOptions(second);
    const list = await sendMessage(page, 'outboxList', { gmail: GMAIL });
    expect(list.ok && list.data.map((e) => e.status)).toEqual(['sent', 'sent', 'sent']);
    expect(await outTexts()).toEqual(texts);
  } finally {
    await second.close();
  }
});
