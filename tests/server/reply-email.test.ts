/**
 * Notification emails and replies by email (issue 15), on PGlite and on PostgreSQL, with the TikTok emulator, the
 * SMTP sink as the user's Gmail, and gmail.com's DKIM key and DMARC record in an in-memory DNS (DMARC is checked for
 * real: INBOUND_AUTH=dmarc). The round trip: a DM webhook → the notification in the sink (threading headers,
 * Reply-To, one-click unsubscribe) → a burst of DMs as one email in the same thread → replies written as Gmail on the
 * web, the Gmail app and Outlook write them, delivered to INBOUND_SMTP_PORT (and one to POST /inbound/email) →
 * exactly the new text reaches TikTok, once each. Then what must send nothing: the same Message-ID again, a forged
 * From, mail failing DMARC, a garbled token, another conversation's thread id under this token's MAC, a huge message,
 * thousands of MIME parts (the server stays up); a reply after the 48-hour window (answered by email with the text);
 * a comment reply over 150 characters (answered); unsubscribe.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import { deliverSmtp, mailWorld, rawReply, replyBody, type ReplyStyle } from '../support/reply-mail';
import type { ReceivedMail } from '../support/smtp-sink';
import { eventually, startStack, stopPostgres, type DbKind, type Stack } from './harness';

afterAll(stopPostgres);

const GMAIL = 'alex@gmail.com';
const DOMAIN = 'reply.link.example';
const SECRET = 'inbound-secret-0123456789abcdef';
const HOUR = 3_600_000;
const world = mailWorld();
let seq = 0;
const messageId = () => `<CAF${Date.now()}${++seq}xyz@mail.gmail.com>`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const header = (m: ReceivedMail, name: string) => m.headers[name] ?? '';

describe.each<DbKind>(['pglite', 'postgres'])('notification emails and replies by email on %s', (db) => {
  let s: Stack;
  let maya: EmulatedAccount;
  let token: string;
  let linkId: string;
  const sent = () => s.tiktok.sentMessages(maya.open_id).map((m) => m.text);
  const notifications = (subject: RegExp) =>
    s.smtp.mails.filter((m) => m.to.includes(GMAIL) && subject.test(m.subject));
  const replyAddress = (m: ReceivedMail) => /reply\+[0-9a-f]{40}@reply\.link\.example/.exec(header(m, 'reply-to'))![0];

  async function reply(
    to: ReceivedMail,
    text: string,
    o: { style?: ReplyStyle; from?: string; key?: string | null; id?: string; address?: string } = {},
  ) {
    const body = replyBody(o.style ?? 'gmail-web', text, to);
    const raw = await rawReply({
      from: o.from ?? `Alex Rivera <${GMAIL}>`,
      to: o.address ?? replyAddress(to),
      subject: `Re: ${to.subject}`,
      ...body,
      messageId: o.id ?? messageId(),
      inReplyTo: header(to, 'message-id'),
      key: o.key === undefined ? world.gmailKey : o.key,
    });
    return {
      raw,
      answer: await deliverSmtp(s.server.inboundSmtpPort!, { from: GMAIL, to: o.address ?? replyAddress(to) }, raw),
    };
  }

  beforeAll(async () => {
    s = await startStack({
      db,
      env: {
        MAIL_FROM: 'TikTok Gmail Link <notify@link.example>',
        REPLY_DOMAIN: DOMAIN,
        INBOUND_SMTP_PORT: '0',
        INBOUND_SMTP_HOST: '127.0.0.1',
        INBOUND_SECRET: SECRET,
        INBOUND_MAX_BYTES: '1000000',
        NOTIFY_DELAY_S: '1',
      },
      server: { dnsResolver: world.resolver },
    });
    maya = s.tiktok.addAccount({ username: 'maya.creates', display_name: 'Maya' });
    ({
      token,
      link: { link_id: linkId },
    } = await s.link(GMAIL, 'maya.creates'));
  }, 60_000);
  afterAll(() => s?.stop());

  it('says reply_by_email, the sender and the reply domain in GET /v1/service', async () => {
    const info = (await s.api('GET', '/v1/service')).data;
    expect(info).toMatchObject({
      features: { reply_by_email: true },
      notification_senders: ['notify@link.example'],
      reply_domain: DOMAIN,
    });
  });

  it('emails a DM as TikTok would, threaded, with a signed Reply-To and one-click unsubscribe; a burst becomes one email in the same thread', async () => {
    await s.tiktok.deliver(
      s.tiktok.incomingMessage(maya, { username: 'jordan.k', display_name: 'Jordan' }, 'Hi! Is the collab still on?')
        .webhook,
    );
    const first = await s.smtp.waitFor((m) => m.to.includes(GMAIL) && m.subject === '@jordan.k sent you a message');
    expect(first.from).toContain('notify@link.example');
    expect(first.text).toContain('Hi! Is the collab still on?');
    expect(first.text).toContain('https://www.tiktok.com/@jordan.k');
    expect(header(first, 'message-id')).toMatch(/^<[0-9a-f]+\.[0-9a-f]{20}@link\.example>$/);
    expect(replyAddress(first)).toBeTruthy();
    // mailparser gathers List-* headers under `list`.
    expect(JSON.parse(header(first, 'list'))).toMatchObject({
      unsubscribe: { url: expect.stringMatching(/\/mail\/unsubscribe\/[0-9a-f]{40}$/) },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });

    for (const text of ['one', 'two', 'three'])
      await s.tiktok.deliver(s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, `burst ${text}`).webhook);
    const second = await s.smtp.waitFor((m) => m !== first && m.subject === first.subject);
    await pause(2500);
    expect(notifications(/sent you a message$/)).toHaveLength(2);
    expect(second.text).toMatch(/sent you 3 messages[\s\S]*burst one[\s\S]*burst two[\s\S]*burst three/);
    expect(header(second, 'in-reply-to')).toBe(header(first, 'message-id'));
    expect(header(second, 'references')).toContain(header(first, 'message-id'));
    expect(replyAddress(second)).toBe(replyAddress(first)); // one token per conversation
  });

  it('sends exactly the new text of replies written as Gmail on the web, the Gmail app and Outlook, once each', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const before = sent().length;
    const texts: [ReplyStyle, string][] = [
      ['gmail-web', 'Yes! Still on for Friday.'],
      ['gmail-app', 'Sounds good 👍 I will bring the ring light'],
      ['outlook', 'Confirmed, see you then.'],
    ];
    for (const [style, text] of texts) {
      const { answer } = await reply(note, text, { style });
      expect(answer).toMatch(/^250/);
    }
    await eventually(async () => sent().length === before + 3);
    expect(sent().slice(before)).toEqual(texts.map(([, t]) => t));
    const outgoing = s.tiktok.sentMessages(maya.open_id).at(-1)!;
    expect(outgoing.conversation_id).toBe(
      s.tiktok.messages.find((m) => m.text === 'Hi! Is the collab still on?')!.conversation_id,
    );
  });

  it('does nothing with the same email again, over SMTP or HTTP', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const id = messageId();
    const { raw } = await reply(note, 'Only once, please', { id });
    await eventually(async () => sent().includes('Only once, please'));
    await reply(note, 'Only once, please', { id });
    const http = await fetch(`${s.url}/inbound/email`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' },
      body: new Uint8Array(raw),
    });
    expect(await http.json()).toMatchObject({ status: 'duplicate' });
    await pause(1500);
    expect(sent().filter((t) => t === 'Only once, please')).toHaveLength(1);
  });

  it('takes a reply posted by a mail provider to /inbound/email with the shared secret, and refuses a wrong secret', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const raw = await rawReply({
      from: GMAIL,
      to: replyAddress(note),
      subject: `Re: ${note.subject}`,
      ...replyBody('gmail-web', 'Via the provider webhook', note),
      messageId: messageId(),
      key: world.gmailKey,
    });
    const post = (secret: string) =>
      fetch(`${s.url}/inbound/email`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}` },
        body: new Uint8Array(raw),
      });
    expect((await post('not-the-secret-at-all')).status).toBe(401);
    expect(await (await post(SECRET)).json()).toMatchObject({ status: 'sent' });
    expect(sent().filter((t) => t === 'Via the provider webhook')).toHaveLength(1);
  });

  it('sends nothing for a forged From, mail failing DMARC, a garbled token or another thread under this token’s MAC', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    await s.tiktok.deliver(s.tiktok.incomingMessage(maya, { username: 'sam.p' }, 'hey from sam').webhook);
    const other = await s.smtp.waitFor((m) => m.subject === '@sam.p sent you a message');
    const before = sent().length;
    // Another sender (signed by nobody gmail.com trusts), the right sender without a valid signature, unsigned, a lookalike.
    await reply(note, 'forged: other address', { from: 'mallory@gmail.com' });
    await reply(note, 'forged: attacker key', { key: world.attackerKey });
    await reply(note, 'forged: unsigned', { key: null });
    await reply(note, 'forged: lookalike', { from: 'alex@gmaiI.com', key: null });
    const jordan = replyAddress(note).slice(6, 46);
    const sam = replyAddress(other).slice(6, 46);
    const swapped = `reply+${sam.slice(0, 20)}${jordan.slice(20)}@${DOMAIN}`;
    for (const address of [
      swapped,
      `reply+${'0'.repeat(40)}@${DOMAIN}`,
      `reply+garbled@${DOMAIN}`,
      `postmaster@${DOMAIN}`,
      `reply+${jordan}@evil.example`,
    ]) {
      await expect(reply(note, 'forged: bad token', { address })).rejects.toThrow(/550/);
    }
    const http = await fetch(`${s.url}/inbound/email`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
      body: new Uint8Array((await reply(note, 'x', { key: null })).raw),
    });
    expect(await http.json()).toMatchObject({ status: 'refused' });
    await pause(1500);
    expect(sent().slice(before)).toEqual([]);
    expect(s.smtp.mails.filter((m) => m.to.includes('mallory@gmail.com'))).toEqual([]); // no answer to a forged sender
  });

  it('refuses a huge message and one of thousands of MIME parts, and stays up', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const before = sent().length;
    await expect(reply(note, `huge ${'x'.repeat(1_200_000)}`)).rejects.toThrow(/552/);
    // Refused on its Content-Length, before it is read: the server may close the connection while the body is still going.
    const huge = await new Promise<number | 'closed'>((resolve) => {
      const req = request(
        `${s.url}/inbound/email`,
        { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } },
        (res) => {
          res.resume();
          resolve(res.statusCode!);
        },
      );
      req.on('error', () => resolve('closed'));
      req.end('x'.repeat(1_200_000));
    });
    expect([413, 'closed']).toContain(huge);
    const boundary = 'b0undary';
    const parts = Array.from(
      { length: 3000 },
      (_, i) => `--${boundary}\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`,
    ).join('');
    const bomb = Buffer.from(
      `From: ${GMAIL}\r\nTo: ${replyAddress(note)}\r\nSubject: Re: x\r\nMessage-ID: ${messageId()}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n${parts}--${boundary}--\r\n`,
    );
    expect(await deliverSmtp(s.server.inboundSmtpPort!, { from: GMAIL, to: replyAddress(note) }, bomb)).toMatch(/^250/);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    await pause(1000);
    expect(sent().length).toBe(before);
  });

  it('answers a reply after the 48-hour window by email with the reason and the text, and sends nothing', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const before = sent().length;
    s.clock.offset = 49 * HOUR;
    try {
      await reply(note, 'Sorry for the late answer!');
      const answer = await s.smtp.waitFor(
        (m) => m.to.includes(GMAIL) && /^Re: /.test(m.subject) && m.text.includes('Sorry for the late answer!'),
      );
      expect(answer.text).toMatch(/was not sent to TikTok[\s\S]*48 hours/);
      expect(header(answer, 'in-reply-to')).toMatch(/mail\.gmail\.com/);
    } finally {
      s.clock.offset = 0;
    }
    expect(sent().length).toBe(before);
  });

  it('emails a comment; a reply over 150 characters is answered, a short one reaches TikTok under the comment once', async () => {
    const { comment, webhook } = s.tiktok.incomingComment(maya, { username: 'fan.4ever' }, 'Where is this place?');
    await s.tiktok.deliver(webhook);
    const note = await s.smtp.waitFor((m) => m.subject === '@fan.4ever commented: "Where is this place?"');
    await reply(note, 'L'.repeat(151));
    await s.smtp.waitFor((m) => /^Re: /.test(m.subject) && m.text.includes('150 characters'));
    await reply(note, 'Lisbon! 🇵🇹');
    await eventually(async () => s.tiktok.replies(comment.comment_id).length > 0);
    await pause(1000);
    expect(s.tiktok.replies(comment.comment_id).map((r) => r.text)).toEqual(['Lisbon! 🇵🇹']);
  });

  it("emails new followers once that kind is on, named or counted, with TikTok's subject templates", async () => {
    expect(s.smtp.mails.some((m) => /following you|new followers?$/.test(m.subject))).toBe(false);
    await s.server.ingest.followerNew({ open_id: maya.open_id, username: 'quiet.fan' }); // off by default: no email
    await s.api('PATCH', `/v1/links/${linkId}/notifications`, { followers: true }, { token });
    await s.server.ingest.followerNew({ open_id: maya.open_id, username: 'new.fan' });
    const named = await s.smtp.waitFor((m) => m.subject === '@new.fan started following you');
    expect(named.headers['reply-to']).toBeUndefined(); // nothing to answer by email
    await s.server.ingest.followerNew({ open_id: maya.open_id, count: 3 });
    await s.server.ingest.followerNew({ open_id: maya.open_id, count: 2 });
    await s.smtp.waitFor((m) => m.subject === 'You have 5 new followers');
    expect(s.smtp.mails.filter((m) => /quiet\.fan/.test(m.subject + m.text))).toEqual([]);
  });

  it('turns that kind off with one click (RFC 8058): no more emails about messages', async () => {
    const note = notifications(/^@jordan\.k sent you a message$/)[0]!;
    const url = /https?:\/\/[^\s">]+\/mail\/unsubscribe\/[0-9a-f]{40}/.exec(JSON.stringify(note.headers))![0];
    expect((await fetch(url)).status).toBe(200); // a GET (a link scanner) changes nothing
    expect((await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.notifications.messages).toBe(true);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(res.status).toBe(200);
    expect((await s.api('GET', `/v1/links/${linkId}`, undefined, { token })).data.notifications).toMatchObject({
      messages: false,
      comments: true,
    });
    const count = s.smtp.mails.length;
    await s.tiktok.deliver(s.tiktok.incomingMessage(maya, { username: 'jordan.k' }, 'are you there?').webhook);
    await pause(3500);
    expect(s.smtp.mails.length).toBe(count);
  });
});
