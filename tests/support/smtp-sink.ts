/**
 * A loopback SMTP server that keeps what it receives, parsed (`smtp-server` + `mailparser`): the server's code email
 * goes here in tests, as it would to Gmail. `waitFor(predicate)` polls with a bounded wait. `startInbox` shows it
 * to the Gmail replica.
 */
import { simpleParser } from 'mailparser';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MailboxEmail } from '../../utils/sandbox';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

export interface SmtpSink {
  /** `smtp://user:pass@127.0.0.1:<port>` (any credentials are accepted). */
  url: string;
  mails: ReceivedMail[];
  waitFor(pred: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, cb) => cb(null, { user: 'test' }),
    onData(stream, session, cb) {
      simpleParser(stream)
        .then((m) => {
          const headers: Record<string, string> = {};
          for (const [k, v] of m.headers) headers[k] = typeof v === 'string' ? v : JSON.stringify(v);
          mails.push({
            from: m.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: m.subject ?? '',
            text: m.text ?? '',
            html: typeof m.html === 'string' ? m.html : '',
            headers,
          });
          cb();
        })
        .catch((e: Error) => cb(e));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://sink:sink@127.0.0.1:${port}`,
    mails,
    async waitFor(pred, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        const m = mails.find(pred);
        if (m) return m;
        await new Promise((r) => setTimeout(r, 50));
      }
      throw new Error(
        `No matching email within ${timeoutMs} ms (received ${mails.length}: ${mails.map((m) => m.subject).join(' | ')})`,
      );
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A stand-in for the user's Gmail inbox in e2e tests: serves what the SMTP sink received (plus `extra`, e.g. TikTok's
 * own notification emails, which reach Gmail without passing through our server) in the sandbox mailbox's shape
 * (`GET /sandbox/mailbox?to=`, newest first), so tests/support/gmail-replica.ts can show it as Gmail rows.
 */
const unescape = (s: string) =>
  s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');

export async function startInbox(
  sink: SmtpSink,
): Promise<{ url: string; extra: MailboxEmail[]; stop(): Promise<void> }> {
  const extra: MailboxEmail[] = [];
  const toMailbox = (m: ReceivedMail, i: number): MailboxEmail => {
    const from = /^(.*?)\s*<([^>]+)>$/.exec(m.from);
    return {
      id: `smtp-${i}`,
      to: m.to[0] ?? '',
      from: from ? { name: from[1]!.replace(/^"|"$/g, ''), email: from[2]! } : { name: '', email: m.from },
      subject: m.subject,
      text: m.text.split(/\n\n(?=[^\n]+: https?:\/\/)/)[0]!.trim(),
      links: [...m.html.matchAll(/<a href="([^"]+)">([^<]*)<\/a>/g)].map((a) => ({
        href: unescape(a[1]!),
        text: unescape(a[2]!),
      })),
      kind: 'code',
      sent_at: m.headers.date ? new Date(m.headers.date.replace(/^"|"$/g, '')).toISOString() : new Date().toISOString(),
    };
  };
  const server = createServer((req, res) => {
    const to = new URL(req.url ?? '/', 'http://x').searchParams.get('to')?.toLowerCase();
    const items = [...sink.mails.map(toMailbox), ...extra]
      .filter((m) => !to || m.to === to)
      .sort((a, b) => b.sent_at.localeCompare(a.sent_at));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { items }, error: { code: 'ok', message: '', log_id: 'inbox' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    extra,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
