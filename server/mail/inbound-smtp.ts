/**
 * The inbound SMTP server (`INBOUND_SMTP_PORT`, `smtp-server`): the MX of REPLY_DOMAIN points here. It is no relay:
 * RCPT TO is accepted only for `reply+<token>@REPLY_DOMAIN` with a valid token (550 otherwise), the message size is
 * announced (SIZE) and enforced while reading (552, the rest dropped unread), no AUTH, at most 50 connections with
 * a one-minute idle timeout. Each message goes to ./inbound.ts with the client's IP, HELO and MAIL FROM (for SPF);
 * a failure that is not a refusal answers 451 so the sending server retries later. STARTTLS is offered with
 * smtp-server's built-in certificate (opportunistic TLS between mail servers).
 */
import { SMTPServer, type SMTPServerDataStream } from 'smtp-server';
import type { AddressInfo } from 'node:net';
import type { InboundMail } from './inbound';
import { readReplyToken, tokenOfAddress } from './reply-token';

export interface InboundSmtp {
  port: number;
  close(): Promise<void>;
}

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

/** The message, or null when it went over `maxBytes` (the stream is drained either way). */
async function read(stream: SMTPServerDataStream, maxBytes: number): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= maxBytes) chunks.push(chunk);
  }
  return stream.sizeExceeded || size > maxBytes ? null : Buffer.concat(chunks);
}

export async function startInboundSmtp(a: {
  host: string;
  port: number;
  domain: string;
  replyKey: Buffer;
  maxBytes: number;
  inbound: InboundMail;
  log: (l: string) => void;
}): Promise<InboundSmtp> {
  const server = new SMTPServer({
    name: a.domain,
    banner: 'TikTok Gmail Link replies',
    size: a.maxBytes,
    authOptional: true,
    disabledCommands: ['AUTH'],
    maxClients: 50,
    socketTimeout: 60_000,
    logger: false,
    onRcptTo(address, _session, cb) {
      const token = tokenOfAddress(address.address, a.domain);
      cb(token && readReplyToken(a.replyKey, token) ? null : smtpError(550, 'No such mailbox here'));
    },
    onData(stream, session, cb) {
      read(stream, a.maxBytes)
        .then(async (raw) => {
          if (!raw) return cb(smtpError(552, `Message larger than ${a.maxBytes} bytes`));
          const rcpt = session.envelope.rcptTo.map((r) => r.address);
          const sender = session.envelope.mailFrom ? session.envelope.mailFrom.address : undefined;
          await a.inbound.receive(raw, {
            rcpt,
            ip: session.remoteAddress,
            helo: session.hostNameAppearsAs,
            ...(sender && { sender }),
          });
          cb(null);
        })
        .catch((e: unknown) => {
          a.log(`inbound SMTP: failed, the sender will retry: ${(e as Error).message}`);
          cb(smtpError(451, 'Temporary failure, try again later'));
        });
    },
  });
  server.on('error', (e) => a.log(`inbound SMTP: ${e.message}`));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(a.port, a.host, () => resolve());
  });
  return {
    port: (server.server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
