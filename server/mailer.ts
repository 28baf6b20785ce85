/**
 * The core's `Mailer` port: SMTP through nodemailer when SMTP_URL is set (From = MAIL_FROM when set), otherwise a
 * dev mailbox kept in memory (newest first, at most 200) and shown at GET /dev/mailbox, with each email logged —
 * so a fresh `npm run server` can link an account with no mail server. Every email is sent as plain text plus an
 * HTML part whose only markup is escaped text and the email's links.
 */
import nodemailer from 'nodemailer';
import type { Email, Mailer } from '../utils/service/ports';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function html(email: Email): string {
  const body = escapeHtml(email.text).replace(/\n/g, '<br>');
  const links = email.links.map((l) => `<p><a href="${escapeHtml(l.href)}">${escapeHtml(l.text)}</a></p>`).join('');
  return `<!doctype html><html><body>${body}${links}</body></html>`;
}

export interface DevMailbox extends Mailer {
  list(to?: string): (Email & { sent_at: string })[];
}

export function smtpMailer(smtpUrl: string, from: { name: string; email: string } | null): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(email) {
      await transport.sendMail({
        from: { name: (from ?? email.from).name, address: (from ?? email.from).email },
        to: email.to,
        subject: email.subject,
        text: [email.text, ...email.links.map((l) => `${l.text}: ${l.href}`)].join('\n\n'),
        html: html(email),
        ...(email.headers && { headers: email.headers }),
      });
    },
  };
}

export function devMailbox(log: (line: string) => void, from: { name: string; email: string } | null): DevMailbox {
  const mails: (Email & { sent_at: string })[] = [];
  return {
    async send(email) {
      mails.unshift({ ...email, from: from ?? email.from, sent_at: new Date().toISOString() });
      mails.length = Math.min(mails.length, 200);
      log(`dev mailbox: "${email.subject}" to ${email.to} (GET /dev/mailbox)`);
    },
    list: (to) => mails.filter((m) => to === undefined || m.to === to.toLowerCase()),
  };
}
