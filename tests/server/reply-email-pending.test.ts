/**
 * Replies by email whose TikTok answer was unknown (the send timed out before TikTok acted: the reply is `pending`,
 * its send kept by the outbox), followed to their end by the background work, on PGlite and on PostgreSQL: the
 * outbox sends it later → once at TikTok, recorded `sent`, no email; the outbox gives up (TikTok refuses the retry)
 * → one refusal email with the text; the link needs a sign-in before the send could be checked (the outbox parks
 * it) → one "not sent" email with the text, nothing at TikTok. With two instances on one database: still one email.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer } from '../../server/app';
import * as t from '../../server/db/schema';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import { deliverSmtp, mailWorld, rawReply, replyBody } from '../support/reply-mail';
import type { ReceivedMail } from '../support/smtp-sink';
import { eventually, startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

const GMAIL = 'alex@gmail.com';
const world = mailWorld();
const ENV = {
  MAIL_FROM: 'TikTok Gmail Link <notify@link.example>',
  REPLY_DOMAIN: 'reply.link.example',
  INBOUND_SMTP_PORT: '0',
  INBOUND_SMTP_HOST: '127.0.0.1',
  NOTIFY_DELAY_S: '1',
};
let seq = 0;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A stack with a linked account and the notification of a DM from jordan.k, to reply to. */
async function replyWorld(db: DbKind, env: Record<string, string> = {}) {
  const s = await startStack({ db, env: { ...ENV, ...env }, server: { dnsResolver: world.resolver } });
  const maya = s.tiktok.addAccount({ username: 'maya.creates', display_name: 'Maya' });
  await s.link(GMAIL, 'maya.creates');
  await s.tiktok.deliver(s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'Are we still on?').webhook);
  const note = await s.smtp.waitFor((m) => m.to.includes(GMAIL) && m.subject === '@jordan.k sent you a message');
  return { s, maya, note };
}

/** Replies to `note` as Gmail on the web does, over SMTP to `server`; resolves with the reply's Message-ID once the server answered. */
async function reply(server: RunningServer, note: ReceivedMail, text: string): Promise<string> {
  const address = /reply\+[0-9a-f]{40}@reply\.link\.example/.exec(note.headers['reply-to'] ?? '')![0];
  const id = `<CAF${Date.now()}${++seq}pending@mail.gmail.com>`;
  const raw = await rawReply({
    from: `Alex Rivera <${GMAIL}>`,
    to: address,
    subject: `Re: ${note.subject}`,
    ...replyBody('gmail-web', text, note),
    messageId: id,
    inReplyTo: note.headers['message-id'],
    key: world.gmailKey,
  });
  expect(await deliverSmtp(server.inboundSmtpPort!, { from: GMAIL, to: address }, raw)).toMatch(/^250/);
  return id;
}

const answers = (s: Stack, text: string) =>
  s.smtp.mails.filter((m) => m.to.includes(GMAIL) && /^Re: /.test(m.subject) && m.text.includes(text));
const statuses = async (s: Stack) =>
  (await s.server.database.db.select({ status: t.inboundEmails.status }).from(t.inboundEmails)).map((r) => r.status);

describe.each<DbKind>(['pglite', 'postgres'])('replies by email left pending, on %s', (db) => {
  let s: Stack;
  let maya: EmulatedAccount;
  let note: ReceivedMail;
  const sent = () => s.tiktok.sentMessages(maya.open_id).map((m) => m.text);

  beforeAll(async () => {
    ({ s, maya, note } = await replyWorld(db));
  }, 60_000);
  afterAll(() => s?.stop());

  it('sends a reply whose send timed out once, later, and records it sent without emailing', async () => {
    s.tiktok.fail('message/send', 'timeout', { acted: false });
    await reply(s.server, note, 'Yes, see you Friday');
    await eventually(async () => sent().includes('Yes, see you Friday'), 15_000);
    await eventually(async () => (await statuses(s)).every((x) => x === 'sent'), 8000);
    await pause(2500);
    expect(sent().filter((x) => x === 'Yes, see you Friday')).toHaveLength(1);
    expect(answers(s, 'Yes, see you Friday')).toEqual([]);
  });

  it('answers once with the reason and the text when the outbox gives up on it', async () => {
    s.tiktok.fail('message/send', 'timeout', { acted: false });
    s.tiktok.fail('message/send', 'http429');
    const before = sent().length;
    const id = await reply(s.server, note, 'Refused on the second try');
    const answer = await s.smtp.waitFor((m) => answers(s, 'Refused on the second try').includes(m), 15_000);
    expect(answer.text).toMatch(/was not sent to TikTok[\s\S]*slow down[\s\S]*Refused on the second try/);
    expect(answer.headers['in-reply-to']).toBe(id);
    await pause(2500);
    expect(answers(s, 'Refused on the second try')).toHaveLength(1);
    expect(sent().length).toBe(before);
  });

  it('emails once that it was not sent, with the text, when the link needs a sign-in before the send was checked', async () => {
    s.tiktok.fail('message/send', 'timeout', { acted: false });
    const before = sent().length;
    const delivered = reply(s.server, note, 'Sent while signed out');
    // While TikTok holds the send: the grant stops working, so the outbox cannot look for it afterwards.
    await eventually(async () =>
      s.tiktok.calls.some((c) => c.path.includes('message/send') && c.body.includes('signed out')),
    );
    s.tiktok.expireTokens();
    s.tiktok.refuseRefresh();
    try {
      await delivered;
      const answer = await s.smtp.waitFor((m) => answers(s, 'Sent while signed out').includes(m), 15_000);
      expect(answer.text).toMatch(/was not sent to TikTok[\s\S]*sign in to TikTok again[\s\S]*Sent while signed out/i);
      await pause(2500);
      expect(answers(s, 'Sent while signed out')).toHaveLength(1);
      expect(sent().length).toBe(before);
      expect(await statuses(s)).toContain('parked');
    } finally {
      s.tiktok.refuseRefresh(false);
    }
  });
});

it('with two instances on one database, a reply the outbox gives up on is answered once', async () => {
  const { s, note } = await replyWorld('postgres', { SECRET_KEY: randomBytes(32).toString('hex') });
  const b = await s.another();
  try {
    s.tiktok.fail('message/send', 'timeout', { acted: false });
    s.tiktok.fail('message/send', 'http429');
    await reply(b, note, 'Two of us, one answer');
    await s.smtp.waitFor((m) => answers(s, 'Two of us, one answer').includes(m), 15_000);
    await pause(4500); // both instances' background work, twice over
    expect(answers(s, 'Two of us, one answer')).toHaveLength(1);
    const [record] = await s.server.database.db
      .select()
      .from(t.inboundEmails)
      .where(eq(t.inboundEmails.status, 'failed'));
    expect(record?.reason).toMatch(/slow down/);
  } finally {
    await b.stop();
    await s.stop();
  }
}, 60_000);
