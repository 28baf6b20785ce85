/**
 * The emails the sandbox "sends", in TikTok's real formats (../shared/research/tiktok-emails.md): real senders,
 * subjects that name the other user as `@username`, TikTok's footer, and links of TikTok's real shapes.
 * Ads request emails carry the authorization id in the review link: `https://ads.tiktok.com/i18n/authorization/review?authorization_id=<id>`.
 */
import { iso, nextId, type MailboxEmail, type SandboxState } from './state';

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
export const adsReviewUrl = (authorizationId: string) => `https://ads.tiktok.com/i18n/authorization/review?authorization_id=${encodeURIComponent(authorizationId)}`;
const HELP = { text: 'TikTok Help Center', href: 'https://support.tiktok.com/' };
const PRIVACY = { text: 'Privacy Policy', href: `${TT}/en/privacy-policy?lang=en` };
const UNSUBSCRIBE = { text: 'Unsubscribe', href: `${TT}/email/h5/notifications?disableBounces=1` };
const ADDRESS = 'TikTok, 5800 Bristol Pkwy, Culver City, CA 90230';
const MAILBOX_MAX = 500;

type Link = MailboxEmail['links'][number];

function footer(username: string, unsubscribe: boolean): string[] {
  return [
    '',
    'This is an automatically generated email. Replies to this email address are not monitored.',
    `This email was generated for ${username}.`,
    unsubscribe ? 'Unsubscribe | Privacy Policy | TikTok Help Center' : 'Privacy Policy | TikTok Help Center',
    ADDRESS,
  ];
}

function deliver(state: SandboxState, now: number, to: string, kind: string, from: { name: string; email: string }, subject: string, lines: string[], links: Link[]): MailboxEmail {
  const email: MailboxEmail = { id: nextId(state, 'mail'), to, from: { ...from }, subject, text: lines.join('\n'), links, sent_at: iso(now), kind };
  state.mailbox.unshift(email);
  state.mailbox.length = Math.min(state.mailbox.length, MAILBOX_MAX);
  return email;
}

const quote = (text: string, max = 80) => {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
};

export function codeEmail(state: SandboxState, now: number, to: string, code: string, forName: string, validMinutes: number): MailboxEmail {
  return deliver(
    state,
    now,
    to,
    'code',
    SENDERS.code,
    `${code} is your verification code`,
    [
      'Verification Code',
      'To verify your account, enter this code in TikTok:',
      code,
      `Verification codes expire after ${validMinutes} minutes.`,
      "If you didn't request this code, you can ignore this message.",
      '',
      'TikTok Support Team',
      'TikTok Help Center: https://support.tiktok.com/',
      'Have a question? Visit the TikTok Help Center or go to Settings > Report a Problem in the app.',
      ...footer(forName, false),
    ],
    [HELP, PRIVACY],
  );
}

export interface ActivityMail {
  to: string;
  /** Our user's TikTok username. */
  owner: string;
  from: { username: string; display_name: string };
}

export function messageEmail(state: SandboxState, now: number, m: ActivityMail, text: string): MailboxEmail {
  const who = `@${m.from.username}`;
  return deliver(
    state,
    now,
    m.to,
    'message',
    SENDERS.activity,
    `${m.from.display_name} (${who}) sent you a message`,
    [`Hi ${m.owner},`, `${m.from.display_name} (${who}) sent you a message:`, `"${quote(text, 200)}"`, '', 'View message', ...footer(m.owner, true)],
    [{ text: 'View message', href: MESSAGES_URL }, { text: who, href: profileUrl(m.from.username) }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function commentEmail(state: SandboxState, now: number, m: ActivityMail, text: string, videoId: string, mention: boolean): MailboxEmail {
  const who = `@${m.from.username}`;
  const subject = mention ? `${who} mentioned you in a comment` : `${who} commented: "${quote(text, 60)}"`;
  const intro = mention ? `${m.from.display_name} (${who}) mentioned you in a comment on your video:` : `${m.from.display_name} (${who}) commented on your video:`;
  return deliver(
    state,
    now,
    m.to,
    mention ? 'mention' : 'comment',
    SENDERS.activity,
    subject,
    [`Hi ${m.owner},`, intro, `"${quote(text, 150)}"`, '', 'Reply', ...footer(m.owner, true)],
    [{ text: 'Reply', href: videoUrl(m.owner, videoId) }, { text: who, href: profileUrl(m.from.username) }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function followerEmail(state: SandboxState, now: number, m: ActivityMail): MailboxEmail {
  const who = `@${m.from.username}`;
  return deliver(
    state,
    now,
    m.to,
    'follower',
    SENDERS.activity,
    `${m.from.display_name} (${who}) started following you`,
    [`Hi ${m.owner},`, `${m.from.display_name} (${who}) started following you.`, '', 'Follow back', ...footer(m.owner, true)],
    [{ text: 'Follow back', href: profileUrl(m.from.username) }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function likeEmail(state: SandboxState, now: number, m: ActivityMail, videoId: string): MailboxEmail {
  const who = `@${m.from.username}`;
  return deliver(
    state,
    now,
    m.to,
    'like',
    SENDERS.activity,
    `${m.from.display_name} (${who}) liked your video`,
    [`Hi ${m.owner},`, `${m.from.display_name} (${who}) liked your video.`, '', 'View video', ...footer(m.owner, true)],
    [{ text: 'View video', href: videoUrl(m.owner, videoId) }, { text: who, href: profileUrl(m.from.username) }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function liveEmail(state: SandboxState, now: number, m: ActivityMail): MailboxEmail {
  const who = `@${m.from.username}`;
  return deliver(
    state,
    now,
    m.to,
    'live',
    SENDERS.activity,
    `${m.from.display_name} (${who}) is LIVE now`,
    [`Hi ${m.owner},`, `${m.from.display_name} (${who}) is LIVE now. Join before it ends!`, '', 'Watch LIVE', ...footer(m.owner, true)],
    [{ text: 'Watch LIVE', href: `${profileUrl(m.from.username)}/live` }, UNSUBSCRIBE, PRIVACY, HELP],
  );
}

export function securityEmail(state: SandboxState, now: number, to: string, owner: string, displayName: string): MailboxEmail {
  const when = new Date(now).toUTCString();
  return deliver(
    state,
    now,
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
  state: SandboxState,
  now: number,
  to: string,
  owner: string,
  advertiser: string,
  authorizationId: string,
  permissions: string[],
  expiresAt: number,
): MailboxEmail {
  return deliver(
    state,
    now,
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
    [{ text: 'Review request', href: adsReviewUrl(authorizationId) }, { text: 'TikTok Ads Manager Help', href: 'https://ads.tiktok.com/help/' }, PRIVACY],
  );
}
