/**
 * Never lose a reply, never send one twice: 200 replies (100 messages in 20 conversations, 100 comment replies on
 * 20 comments) go through `sendReply` while the loopback sandbox injects 5xx, 429, dropped connections and delays,
 * and the service worker is stopped four times mid-way. Every reply must reach the sandbox exactly once.
 */
import type { ReplyTarget } from '@/utils/messaging/catalogue';
import { control } from '../support/sandbox';
import { stopServiceWorker } from '../support/worker';
import { expect, test } from './fixtures';

/** The extension API inside page.evaluate callbacks (run in the extension page, not here). */
declare const chrome: { runtime: { sendMessage(message: unknown): Promise<unknown> } };

const GMAIL = 'outbox.faults@gmail.com';
const PEOPLE = 20;
const PER_TARGET = 5;

type Inspect = {
  conversations: { messages: { direction: string; text: string }[] }[];
  comments: { parent_comment_id: string | null; text: string }[];
  /** The last 300 /v1 requests as the sandbox saw them. */
  requests: { fault: string | null; replayed: boolean }[];
};

/** The texts of our replies the sandbox holds (messages sent by the linked account, replies to comments). */
const delivered = (inspect: Inspect) =>
  [
    ...inspect.conversations.flatMap((c) => c.messages.filter((m) => m.direction === 'out').map((m) => m.text)),
    ...inspect.comments.filter((c) => c.parent_comment_id !== null).map((c) => c.text),
  ].filter((text) => text.startsWith('reply '));

test('200 replies under injected faults and worker stops arrive exactly once', async ({
  context,
  sandbox,
  linkOnSandbox,
}) => {
  test.setTimeout(150_000);
  const { page } = await linkOnSandbox(GMAIL);

  const targets: ReplyTarget[] = [];
  for (let i = 0; i < PEOPLE; i++) {
    const from_username = `fan.number${i}`;
    const msg = await control<{ event: { ref: { conversation_id: string } } }>(sandbox.url, 'simulate', {
      type: 'message',
      to_gmail: GMAIL,
      from_username,
    });
    const com = await control<{ event: { ref: { comment_id: string } } }>(sandbox.url, 'simulate', {
      type: 'comment',
      to_gmail: GMAIL,
      from_username,
    });
    targets.push(
      { kind: 'message', username: from_username, conversation_id: msg.event.ref.conversation_id },
      { kind: 'comment', username: from_username, comment_id: com.event.ref.comment_id },
    );
  }
  const replies = targets.flatMap((target, t) =>
    Array.from({ length: PER_TARGET }, (_, n) => ({
      target,
      text: `reply ${t}-${n}`,
      client_key: `fault-test-${t}-${n}`,
    })),
  );
  expect(replies).toHaveLength(200);

  const kinds = ['5xx', '429', 'drop', 'delay'].flatMap((k) => [k, k]).sort(() => Math.random() - 0.5);
  await control(sandbox.url, 'faults', { count: 120, kinds, delay_ms: 300, path_prefix: '/v1/' });

  // The page sends every reply as a composer would: on a lost answer (the worker was stopped) it sends the same
  // client_key again, which must never make a second entry.
  const sending = page.evaluate(
    async ({ gmail, replies }) => {
      const send = async (r: (typeof replies)[number]): Promise<string> => {
        for (let attempt = 0; ; attempt++) {
          try {
            const reply = (await chrome.runtime.sendMessage({
              id: Math.floor(Math.random() * 1e9),
              type: 'sendReply',
              data: { gmail, target: r.target, text: r.text, client_key: r.client_key },
              timestamp: Date.now(),
            })) as { res?: { ok: boolean; data?: { status: string }; error?: { code: string } } } | undefined;
            if (reply?.res?.ok) return reply.res.data!.status;
            if (attempt > 20) return `error ${reply?.res?.error?.code}`;
          } catch {
            if (attempt > 20) return 'lost';
          }
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      };
      return Promise.all(replies.map(send));
    },
    { gmail: GMAIL, replies },
  );

  // Stops while replies are still on their way (the sandbox's count of what arrived so far proves "mid-way").
  let stops = 0;
  const arrivedAtStops: number[] = [];
  for (let i = 0; i < 4; i++) {
    await page.waitForTimeout(1_500);
    arrivedAtStops.push(delivered(await control<Inspect>(sandbox.url, 'inspect')).length);
    if (await stopServiceWorker(context)) stops++;
  }
  const firstAnswers = await sending;
  expect(firstAnswers.filter((s) => s.startsWith('error') || s === 'lost')).toEqual([]);

  // Everything ends `sent` (the outbox resumes on its own after each stop; listing only reads).
  await expect
    .poll(
      async () => {
        const list = (await page.evaluate(async (gmail) => {
          const reply = (await chrome.runtime.sendMessage({
            id: 1,
            type: 'outboxList',
            data: { gmail },
            timestamp: Date.now(),
          })) as {
            res?: { ok: boolean; data?: { status: string }[] };
          };
          return reply?.res?.data ?? [];
        }, GMAIL)) as { status: string }[];
        return {
          total: list.length,
          sent: list.filter((e) => e.status === 'sent').length,
          drafts: list.filter((e) => e.status === 'draft').length,
        };
      },
      { timeout: 100_000, intervals: [1_000] },
    )
    .toEqual({ total: 200, sent: 200, drafts: 0 });

  const inspect = await control<Inspect>(sandbox.url, 'inspect');
  const arrived = delivered(inspect);
  const counts = new Map<string, number>();
  for (const text of arrived) counts.set(text, (counts.get(text) ?? 0) + 1);
  const twice = [...counts].filter(([, n]) => n > 1).map(([text]) => text);
  const missing = replies.filter((r) => !counts.has(r.text)).map((r) => r.text);
  const faults = inspect.requests.filter((r) => r.fault !== null).length;
  const replays = inspect.requests.filter((r) => r.replayed).length;
  console.log(
    `outbox faults: ${counts.size}/200 replies arrived, ${twice.length} twice, ${missing.length} missing; ` +
      `worker stopped ${stops} times (with ${arrivedAtStops.join(', ')} arrived); in the last ${inspect.requests.length} requests ${faults} faults and ${replays} idempotent replays`,
  );
  expect(stops).toBeGreaterThanOrEqual(3);
  expect(arrivedAtStops.filter((n) => n < 200).length).toBeGreaterThanOrEqual(3);
  expect(faults).toBeGreaterThan(0);
  expect(missing).toEqual([]);
  expect(twice).toEqual([]);
  expect(arrived).toHaveLength(200);
});
