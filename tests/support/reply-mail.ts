/**
 * Replies to the server's notification emails as mail programs write them, for tests: `gmail.com` with a DKIM key and
 * a DMARC record served by an in-memory DNS (`resolver`, handed to the server), and a sender that signs like Gmail's
 * servers (nodemailer's DKIM) and delivers over SMTP to INBOUND_SMTP_PORT or over HTTP to POST /inbound/email.
 * `attacker` signs with a key the DNS does not publish. Bodies: what Gmail on the web, the Gmail app and Outlook put
 * in a reply (the person's text, the attribution, the quoted notification).
 */
import { generateKeyPairSync } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { ReceivedMail } from './smtp-sink';

const SELECTOR = '20230601';

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicDer: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export interface MailWorld {
  /** `dns.promises.resolve` over the zone: gmail.com's DKIM key and DMARC record, nothing else. */
  resolver: (name: string, rrtype: string) => Promise<string[][]>;
  gmailKey: string;
  attackerKey: string;
}

export function mailWorld(): MailWorld {
  const gmail = keyPair();
  const zone = new Map<string, string[][]>([
    [`TXT ${SELECTOR}._domainkey.gmail.com`, [[`v=DKIM1; k=rsa; p=${gmail.publicDer}`]]],
    ['TXT _dmarc.gmail.com', [['v=DMARC1; p=none; sp=quarantine; rua=mailto:mailauth-reports@google.com']]],
  ]);
  return {
    async resolver(name, rrtype) {
      const found = zone.get(`${rrtype} ${name.toLowerCase()}`);
      if (found) return found;
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    },
    gmailKey: gmail.privatePem,
    attackerKey: keyPair().privatePem,
  };
}

export type ReplyStyle = 'gmail-web' | 'gmail-app' | 'outlook';

/** The reply's body as that program writes it, quoting `original`. */
export function replyBody(style: ReplyStyle, text: string, original: ReceivedMail): { text: string; html: string } {
  const quoted = original.text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');
  const from = original.from;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  switch (style) {
    case 'gmail-web':
      return {
        text: `${text}\n\nOn Tue, Dec 1, 2026 at 4:10 AM ${from} wrote:\n\n${quoted}\n`,
        html: `<div dir="ltr">${esc(text)}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Dec 1, 2026 at 4:10 AM ${esc(from)} wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">${esc(original.text).replace(/\n/g, '<br>')}</blockquote></div>`,
      };
    case 'gmail-app':
      return {
        text: `${text}\n\nOn Tue, Dec 1, 2026, 4:10 AM ${from} wrote:\n\n${quoted}\n`,
        html: `<div dir="auto">${esc(text)}</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Tue, Dec 1, 2026, 4:10 AM ${esc(from)} wrote:<br></div><blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">${esc(original.text)}</blockquote></div>`,
      };
    case 'outlook':
      return {
        text: `${text}\n\nGet Outlook for iOS<https://aka.ms/o0ukef>\n________________________________\nFrom: ${from}\nSent: Tuesday, December 1, 2026 4:10:12 AM\nTo: alex@gmail.com <alex@gmail.com>\nSubject: ${original.subject}\n\n${original.text}`,
        html: `<html><body><div dir="ltr">${esc(text)}</div><div id="appendonsend"></div><hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr"><b>From:</b> ${esc(from)}<br><b>Sent:</b> Tuesday, December 1, 2026 4:10 AM</div><div>${esc(original.text)}</div></body></html>`,
      };
  }
}

export interface OutgoingReply {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  messageId: string;
  inReplyTo?: string;
  /** The DKIM key to sign with as gmail.com (null: unsigned). */
  key: string | null;
  signingDomain?: string;
}

/** The reply as raw MIME, signed when `key` is given. */
export async function rawReply(r: OutgoingReply): Promise<Buffer> {
  const t = nodemailer.createTransport({
    streamTransport: true,
    buffer: true,
    ...(r.key && { dkim: { domainName: r.signingDomain ?? 'gmail.com', keySelector: SELECTOR, privateKey: r.key } }),
  });
  const info = await t.sendMail({
    from: r.from,
    to: r.to,
    subject: r.subject,
    text: r.text,
    ...(r.html && { html: r.html }),
    messageId: r.messageId,
    ...(r.inReplyTo && { inReplyTo: r.inReplyTo, references: [r.inReplyTo] }),
  });
  return info.message as Buffer;
}

/** Delivers raw MIME to the inbound SMTP server as a sending mail server would; resolves with the server's answer or rejects with its error. */
export async function deliverSmtp(port: number, envelope: { from: string; to: string }, raw: Buffer): Promise<string> {
  const t = nodemailer.createTransport({
    host: '127.0.0.1',
    port,
    secure: false,
    ignoreTLS: true,
    name: 'mail-sor-f41.google.com',
    connectionTimeout: 5000,
    socketTimeout: 20_000,
  });
  const info = await t.sendMail({ envelope, raw });
  return info.response;
}
