/**
 * The service's own notification emails (issue 15) as tests see them: TikTok's templates (utils/sandbox/emails.ts:
 * TikTok's subjects naming `@username`, its links) sent from the service's `MAIL_FROM` — `TikTok Gmail Link
 * <notify@mail.example.com>` for a service at `https://tgl.example.com` — with `Reply-To: reply+<token>@reply.example.com`.
 *
 * - `serviceEmail(email, from?)`: a TikTok-format email re-sent as the service's notification (or from `from`).
 * - `SERVICE_NOTIFICATIONS`: one of each kind the server emails: a DM, a comment, a mention, a named follower, a count.
 * - `serviceInfo(senders)`: the `GET /v1/service` answer of that service listing `senders`.
 */
import type { ServiceInfo } from '@/utils/api/schemas';
import type { Email } from '@/utils/service/ports';
import { commentEmail, followerEmail, messageEmail, type ActivityMail } from '@/utils/sandbox/emails';

export const SERVICE_URL = 'https://tgl.example.com';
export const SERVICE_FROM = { name: 'TikTok Gmail Link', email: 'notify@mail.example.com' };
export const REPLY_DOMAIN = 'reply.example.com';

export type ServiceEmail<E extends Email = Email> = E & { reply_to: string };

let tokens = 0;
/** A reply token of the shape the server signs (opaque to the extension). */
const token = () => `${(++tokens).toString(36).padStart(6, '0')}.k3y9s1gn4tur3`;

export function serviceEmail<E extends Email>(email: E, from: { name: string; email: string } = SERVICE_FROM): ServiceEmail<E> {
  return { ...email, from: { ...from }, reply_to: `reply+${token()}@${REPLY_DOMAIN}` };
}

const mail: ActivityMail = { to: 'robin.notify@gmail.com', owner: 'robin.creates', from: { username: 'sam.sender', display_name: 'Sam Sender' } };
const VIDEO = '7301234567890123456';

/** [kind, email]: what the server sends, in TikTok's own templates. */
export const SERVICE_NOTIFICATIONS: [kind: string, email: ServiceEmail][] = [
  ['message', serviceEmail(messageEmail(mail, 'Are you free for a collab next week?'))],
  ['comment', serviceEmail(commentEmail(mail, 'This edit is unreal', VIDEO, false))],
  ['mention', serviceEmail(commentEmail(mail, '@robin.creates look at this', VIDEO, true))],
  ['follower', serviceEmail(followerEmail(mail))],
  [
    'follower',
    serviceEmail({
      to: mail.to,
      kind: 'follower',
      from: SERVICE_FROM,
      subject: 'You have 3 new followers',
      text: `Hi ${mail.owner},\nYou have 3 new followers on TikTok.\n\nSee your followers`,
      links: [{ text: 'See your followers', href: `https://www.tiktok.com/@${mail.owner}` }],
    }),
  ],
];

export function serviceInfo(senders: string[]): ServiceInfo {
  return {
    name: 'TikTok Gmail Link service',
    api_version: '1.1',
    tiktok: 'tiktok',
    features: { follow: false, ads: false, ads_approve_in_api: false, reply_by_email: true },
    notification_senders: senders,
    reply_domain: REPLY_DOMAIN,
  };
}
