/**
 * A loopback SMTP server that keeps what it receives, parsed (`smtp-server` + `mailparser`): the server's code email
 * goes here in tests, as it would to Gmail. `waitFor(predicate)` polls with a bounded wait.
 */
import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
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
      throw new Error(`No matching email within ${timeoutMs} ms (received ${mails.length}: ${mails.map((m) => m.subject).join(' | ')})`);
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
