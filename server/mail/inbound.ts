/**
 * A reply email, from SMTP (./inbound-smtp.ts) or HTTP (`POST /inbound/email`), to TikTok — or to nothing. In order,
 * cheapest first, and nothing is sent (nor answered: a forged sender must not get mail from us) unless every check
 * passes:
 * 1. size (`INBOUND_MAX_BYTES`) and at most 100 MIME parts, before parsing (`mailparser`);
 * 2. a recipient `reply+<token>@REPLY_DOMAIN` whose token's MAC is valid (./reply-token.ts) and names a known thread;
 * 3. exactly one From address, equal to the thread's link's Gmail address;
 * 4. DMARC for that From domain (./inbound-auth.ts);
 * 5. a Message-ID, recorded in `inbound_emails` with the link: the same email again does nothing.
 * Then the reply's own text (./reply-text.ts) goes through the core's outbox under the API's rules, keyed by that
 * record (`email:<key>`), so a crash mid-send is settled by the outbox and never sends twice. A reply that cannot be
 * sent is answered by email with the reason and the person's text, and the refusal is recorded. One whose TikTok
 * answer is unknown is recorded `pending`: ./reply-outcome.ts follows it to its end (and answers it if not sent).
 */
import { eq } from 'drizzle-orm';
import { simpleParser, type ParsedMail } from 'mailparser';
import { createHash } from 'node:crypto';
import { type EmailReplyTarget, type Service } from '../../utils/service';
import { ServiceError } from '../../utils/service/errors';
import type { Mailer, Store } from '../../utils/service/ports';
import type { Db } from '../db';
import * as t from '../db/schema';
import { authProblem, type InboundAuth, type SmtpEnvelope } from './inbound-auth';
import type { Sender } from './notification-email';
import type { Notifier } from './notifier';
import { readReplyToken, tokenOfAddress } from './reply-token';
import { answerReply, type InboundRecordStatus, type ReplyOrigin } from './reply-outcome';
import { replyText } from './reply-text';
import type { MailThread, MailThreads } from './threads';

interface InboundDeps {
  db: Db;
  store: Store;
  threads: MailThreads;
  notifier: Notifier;
  service: () => Service;
  mailer: Mailer;
  from: Sender;
  replyKey: Buffer;
  replyDomain: string;
  auth: InboundAuth;
  maxBytes: number;
  now: () => number;
  log: (line: string) => void;
}

type InboundStatus = 'sent' | 'pending' | 'answered' | 'duplicate' | 'refused';
export interface InboundResult {
  status: InboundStatus;
  reason: string;
}

const MAX_PARTS = 100;
const RECIPIENT_HEADERS = new Set(['delivered-to', 'x-original-to', 'envelope-to', 'to', 'cc']);
const ADDRESS = /[^\s<>,;:"'()[\]]+@[^\s<>,;:"'()[\]]+/g;

/** An authenticated reply email, recorded under `key`. */
interface Received {
  thread: MailThread;
  gmail: string;
  key: string;
  origin: ReplyOrigin;
}

const refused = (reason: string): InboundResult => ({ status: 'refused', reason });
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** MIME parts counted on the raw bytes, so a message of thousands of parts is refused before it is parsed. */
const partCount = (raw: Buffer) => raw.toString('latin1').match(/^content-type\s*:/gim)?.length ?? 0;

function singleFrom(mail: ParsedMail): string | null {
  const headers = mail.headerLines.filter((h) => h.key === 'from');
  const addresses = mail.from?.value ?? [];
  if (headers.length !== 1 || addresses.length !== 1 || mail.from?.value[0]?.group) return null;
  return addresses[0]!.address?.toLowerCase() ?? null;
}

/** What answering the email in its thread needs (the last 10 References). */
const originOf = (mail: ParsedMail): ReplyOrigin => ({
  message_id: mail.messageId!,
  subject: mail.subject ?? '',
  references: (Array.isArray(mail.references) ? mail.references : mail.references ? [mail.references] : []).slice(-10),
});

export class InboundMail {
  constructor(private readonly d: InboundDeps) {}

  /** One email (raw MIME); `rcpt`: the SMTP envelope's recipients (HTTP: none, the headers are read). */
  async receive(raw: Buffer, envelope: SmtpEnvelope & { rcpt?: string[] }): Promise<InboundResult> {
    const result = await this.handle(raw, envelope);
    this.d.log(`inbound email: ${result.status} (${result.reason})`);
    return result;
  }

  private async handle(raw: Buffer, envelope: SmtpEnvelope & { rcpt?: string[] }): Promise<InboundResult> {
    if (raw.length > this.d.maxBytes) return refused(`larger than ${this.d.maxBytes} bytes`);
    if (partCount(raw) > MAX_PARTS) return refused(`more than ${MAX_PARTS} MIME parts`);
    const mail = await simpleParser(raw, {
      skipHtmlToText: true,
      skipTextToHtml: true,
      skipImageLinks: true,
      skipTextLinks: true,
    });
    const thread = await this.threadOf(mail, envelope.rcpt ?? []);
    if (!thread) return refused('no valid reply token among the recipients');
    const link = await this.d.store.links.get(thread.link_id);
    const from = singleFrom(mail);
    if (!link || !from || from !== link.gmail.toLowerCase())
      return refused(`From ${from ?? '(none or several)'} is not the linked Gmail address`);
    const problem = await authProblem(this.d.auth, raw, mail.headerLines, from.split('@')[1]!, envelope);
    if (problem) return refused(`authentication failed: ${problem}`);
    if (!mail.messageId) return refused('no Message-ID');
    const key = sha256(`${link.link_id}|${mail.messageId}`);
    const origin = originOf(mail);
    const fresh = await this.d.db
      .insert(t.inboundEmails)
      .values({
        key,
        link_id: link.link_id,
        thread_id: thread.thread_id,
        received_at: this.d.now(),
        status: 'sending' satisfies InboundRecordStatus,
        origin,
      })
      .onConflictDoNothing()
      .returning();
    if (!fresh.length) return { status: 'duplicate', reason: `Message-ID ${mail.messageId} was already handled` };
    try {
      return await this.send(mail, { thread, gmail: link.gmail, key, origin });
    } catch (e) {
      // Not a refusal (a bug, the database down): forget the record so the sender's retry is handled; the outbox key keeps it once.
      await this.d.db.delete(t.inboundEmails).where(eq(t.inboundEmails.key, key));
      throw e;
    }
  }

  private async threadOf(mail: ParsedMail, rcpt: string[]): Promise<MailThread | null> {
    const fromHeaders = mail.headerLines
      .filter((h) => RECIPIENT_HEADERS.has(h.key))
      .flatMap((h) => h.line.replace(/^[^:]*:/, '').match(ADDRESS) ?? []);
    for (const address of [...rcpt, ...fromHeaders].slice(0, 50)) {
      const token = tokenOfAddress(address, this.d.replyDomain);
      const id = token && readReplyToken(this.d.replyKey, token);
      if (id) return this.d.threads.byId(id);
    }
    return null;
  }

  private async send(mail: ParsedMail, r: Received): Promise<InboundResult> {
    const { thread, key } = r;
    const text = replyText({ text: mail.text ?? null, html: typeof mail.html === 'string' ? mail.html : null });
    const target: EmailReplyTarget | null =
      thread.kind === 'messages'
        ? { kind: 'message', conversation_id: thread.target_id }
        : thread.kind === 'comments' || thread.kind === 'mentions'
          ? { kind: 'comment_reply', comment_id: thread.target_id }
          : null;
    if (!target)
      return this.answer(r, 'Emails about new followers and Ads cannot be answered on TikTok by email.', text);
    if (!text) return this.answer(r, 'No new text was found above the quoted email.', text);
    try {
      await this.d.service().byEmail.reply({ link_id: thread.link_id, target, text, key: `email:${key}` });
    } catch (e) {
      if (!(e instanceof ServiceError)) throw e;
      // TikTok's answer is unknown: the send stays in the outbox, which looks for it at TikTok before sending again.
      if (e.code === 'upstream_error') return this.record(key, 'pending', e.message);
      return this.answer(r, e.message, text);
    }
    return this.record(
      key,
      'sent',
      `${text.length} characters to ${target.kind === 'message' ? 'conversation' : 'comment'} ${thread.target_id}`,
    );
  }

  private async record(key: string, status: 'sent' | 'pending' | 'failed', reason: string): Promise<InboundResult> {
    await this.d.db
      .update(t.inboundEmails)
      .set({ status, reason: reason.slice(0, 500) })
      .where(eq(t.inboundEmails.key, key));
    return { status: status === 'failed' ? 'answered' : status, reason };
  }

  /** The refusal, recorded and answered to the linked Gmail address in the same mail thread. */
  private async answer(r: Received, reason: string, text: string): Promise<InboundResult> {
    const result = await this.record(r.key, 'failed', reason);
    await answerReply(this.d, { thread: r.thread, gmail: r.gmail, origin: r.origin, reason, text });
    return result;
  }
}
