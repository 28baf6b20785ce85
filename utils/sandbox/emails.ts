/**
 * The emails the sandbox "sends", in TikTok's real formats (../shared/research/tiktok-emails.md): real senders,
 * subjects that name the other user as `@username`, TikTok's footer, and links of TikTok's real shapes.
 * They are `Email`s for the mailbox Mailer (mailbox.ts); the service's own code email is the core's (code-email.ts).
 * Ads request emails carry the authorization id in the review link: `https://ads.tiktok.com/i18n/authorization/review?authorization_id=<id>`.
 */
import { codeEmail, HELP_LINK as HELP, PRIVACY_LINK as PRIVACY, tiktokFooter as footer } from '../service/code-email';
import type { Email } from '../service/ports';

export { codeEmail };

export const SENDERS = {
  code: { name: 'TikTok', email: 'register@account.tiktok.com' },
  security: { name: 'TikTok', email: 'noreply@account.tiktok.com' },
  activity: { name: 'TikTok', email: 'notification@service.tiktok.com' },
  ads: { name: 'TikTok For Business', email: 'no-reply@notifications.tiktok.com' },
} as const;

const TT = 'https://www.tiktok.com';
export const profileUrl = (username: string) => `${TT}/@${username}`;
export const videoUrl = (username: string, videoId: string) => `${TT}/@${username}/video/${videoId}`;
export const MESSAGES_URL = `${TT}/messages?lang=en`;
export const adsReviewUrl = (authorizationId: string) =>
  `https://ads.tiktok.com/i18n/authorization/review?authorization_id=${encodeURIComponent(authorizationId)}`;
const UNSUBSCRIBE = { text: 'Unsubscribe', href: `${TT}/email/h5/notifications?disableBounces=1` };

type Link = Email['links'][number];

function email(
  to: string,
  kind: string,
  from: { name: string; email: string },
  subject: string,
  lines: string[],
  links: Link[],
): Email {
  return { to, kind, from: { ...from }, subject, text: lines.join('\n'), links };
}

const quote = (text: string, max = 80) => {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
};

export interface ActivityMail {
  to: string;
  /** Our user's TikTok username. */
  owner: string;
  from: { username: string; display_name: string };
}

export function messageEmail(m: ActivityMail, text: string): Email {
  const who = `@${m.from.username}`;
  return email(
    m.to,
    'message',
    SENDERS.activity,
    `${m.from.display_name} (${who}) sent you a message`,
    [
      `Hi ${m.owner},`,
      `${m.from.display_name} (${who}) sent you a message:`,
      `"${quote(text, 200)}"`,
      '',
      'View message',
      ...footer(m.owner, true),
    ],
    [
      { text: 'View message', href: MESSAGES_URL },
      { text: who, href: profileUrl(m.from.username) },
      UNSUBSCRIBE,
      PRIVACY,
      HELP,
    ],
  );
}

export function commentEmail(m: ActivityMail, text: string, videoId: string, mention: boolean): Email {
  const who = `@${m.from.username}`;
  const subject = mention ? `${who} mentioned you in a comment` : `${who} commented: "${quote(text, 60)}"`;
  const intro = mention
    ? `${m.from.display_name} (${who}) mentioned you in a comment on your video:`
    : `${m.from.display_name} (${who}) commented on your video:`;
  return email(
    m.to,
    mention ? 'mention' : 'comment',
    SENDERS.activity,
    subject,
    [`Hi ${m.owner},`, intro, `"${quote(text, 150)}"`, '', 'Reply', ...footer(m.owner, true)],
    [
      { text: 'Reply', href: videoUrl(m.owner, videoId) },
      { text: who, href: profileUrl(m.from.username) },
      UNSUBSCRIBE,
      PRIVACY,
      HELP,
    ],
  );
}

export function followerEmail(m: ActivityMail): Email {
  const who = `@${m.from.username}`;
  return email(
    m.to,
    'follower',
    SENDERS.activity,
    `${m.from.display_name} (${who}) started following you`,
    [
      `Hi ${m.owner},`,
      `${m.from.display_name} (${who}) started following you.`,
      '',
      'Follow back',
      ...footer(m.owner, true),
    ],
    [{ text: 'Follow back', href: profileUrl(m.from.username) }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function likeEmail(m: ActivityMail, videoId: string): Email {
  const who = `@${m.from.username}`;
  return email(
    m.to,
    'like',
    SENDERS.activity,
    `${m.from.display_name} (${who}) liked your video`,
    [`Hi ${m.owner},`, `${m.from.display_name} (${who}) liked your video.`, '', 'View video', ...footer(m.owner, true)],
    [
      { text: 'View video', href: videoUrl(m.owner, videoId) },
      { text: who, href: profileUrl(m.from.username) },
      UNSUBSCRIBE,
      PRIVACY,
      HELP,
    ],
  );
}

export function liveEmail(m: ActivityMail): Email {
  const who = `@${m.from.username}`;
  return email(
    m.to,
    'live',
    SENDERS.activity,
    `${m.from.display_name} (${who}) is LIVE now`,
    [
      `Hi ${m.owner},`,
      `${m.from.display_name} (${who}) is LIVE now. Join before it ends!`,
      '',
      'Watch LIVE',
      ...footer(m.owner, true),
    ],
    [{ text: 'Watch LIVE', href: `${profileUrl(m.from.username)}/live` }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function securityEmail(now: number, to: string, owner: string, displayName: string): Email {
  const when = new Date(now).toUTCString();
  return email(
    to,
    'security',
    SENDERS.security,
    'New device login to your TikTok account',
    [
      `Hi ${displayName},`,
      "We're writing to inform you that we detected a login to your account from a new device.",
      `When: ${when}`,
      'Device: Chrome on Windows',
      'Near: Lisbon, Portugal',
      '',
      "If this was you, you can ignore this message. If this wasn't you, open the TikTok app and go to 'Settings and privacy' > 'Security and login' > 'Security alerts' to secure your account.",
      'Tip: turn on 2-step verification to add an extra layer of security to your account.',
      ...footer(owner, false),
    ],
    [{ text: 'Security alerts', href: `${TT}/setting/security` }, PRIVACY, HELP],
  );
}

export function adsRequestEmail(
  to: string,
  owner: string,
  advertiser: string,
  authorizationId: string,
  permissions: string[],
  expiresAt: number,
): Email {
  return email(
    to,
    'ads_request',
    SENDERS.ads,
    `${advertiser} requested authorization for your TikTok account @${owner}`,
    [
      `Hi ${owner},`,
      `${advertiser} would like to use your TikTok account @${owner} in TikTok Ads Manager.`,
      `Permissions requested: ${permissions.join(', ')}`,
      `Authorization ID: ${authorizationId}`,
      `This request expires on ${new Date(expiresAt).toUTCString()}.`,
      '',
      'Review request',
      'Only approve requests from advertisers you know. You can remove an authorization at any time in Ads Manager.',
      ...footer(owner, false),
    ],
    [
      { text: 'Review request', href: adsReviewUrl(authorizationId) },
      { text: 'TikTok Ads Manager Help', href: 'https://ads.tiktok.com/help/' },
      PRIVACY,
    ],
  );
}
