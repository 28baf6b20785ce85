/**
 * The server's notification emails, composed (pure): in the style of TikTok's own activity emails
 * (../shared/research/tiktok-emails.md §3) and with TikTok's subject templates, which the extension classifies
 * (utils/detect/templates.ts): `Name (@user) sent you a message`, `@user commented: "…"`, `@user mentioned you in a
 * comment`, `@user started following you`, `You have N new followers`; the body greets the account, names the other
 * user, shows the last messages of the conversation (or the comment), links to TikTok, and says that replying works.
 * Headers: Message-ID / In-Reply-To / References (one Gmail thread per conversation or comment), Reply-To (the signed
 * reply address, where a reply can be sent), List-Unsubscribe + List-Unsubscribe-Post (RFC 8058 one-click: that kind off).
 * Also the answer to a reply that could not be sent (the reason, the person's text kept).
 * Text written by other users is hostile: it only ever goes into text (the mailer escapes it into HTML), control
 * characters out, and never into a header but the subject (which nodemailer encodes).
 */
import type { NotificationKind } from '../../utils/api/schemas';
import type { Email, TikTokComment, TikTokConversation, TikTokMessage } from '../../utils/service/ports';
import { MESSAGES_URL, profileUrl, videoUrl } from '../../utils/tiktok-urls';

export interface Sender {
  name: string;
  email: string;
}

export interface ThreadHeaders {
  message_id: string;
  /** The thread's first and last email so far (null for the first email). */
  root: string | null;
  last: string | null;
  /** `reply+<token>@REPLY_DOMAIN` where replying is possible, else null. */
  reply_to: string | null;
  /** The one-click unsubscribe URL of this kind. */
  unsubscribe: string;
}

/** What the email is about, gathered by the notifier. */
export type Activity =
  | { kind: 'messages'; conversation: TikTokConversation; messages: TikTokMessage[]; count: number }
  | { kind: 'comments' | 'mentions'; comment: TikTokComment }
  | { kind: 'followers'; usernames: string[]; count: number }
  | { kind: 'ads'; summaries: string[] };

const KIND_LABEL: Record<NotificationKind, string> = {
  messages: 'direct messages',
  comments: 'comments',
  mentions: 'mentions',
  followers: 'new followers',
  ads: 'Ads authorizations',
};

/** Other users' text as one line of plain text: control and bidi characters out, at most `max` characters. */
function plain(text: string, max = 500): string {
  const chars = Array.from(
    text
      .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ')
      .replace(/\s+/g, ' ')
      .trim(),
  );
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

const who = (username: string, display?: string) =>
  display && plain(display, 60) !== username ? `${plain(display, 60)} (@${username})` : `@${username}`;
const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

function subjectOf(a: Activity, owner: string): string {
  switch (a.kind) {
    case 'messages':
      return `${who(a.conversation.participant.username, a.conversation.participant.display_name)} sent you a message`;
    case 'comments':
      return `@${a.comment.username} commented: "${plain(a.comment.text, 60)}"`;
    case 'mentions':
      return `@${a.comment.username} mentioned you in a comment`;
    case 'followers':
      return a.count === 1 && a.usernames[0]
        ? `@${a.usernames[0]} started following you`
        : `You have ${a.count === 1 ? 'a' : a.count} new follower${a.count === 1 ? '' : 's'}`;
    case 'ads':
      return `@${owner}: Ads authorization request`;
  }
}

function bodyOf(a: Activity, owner: string): { lines: string[]; links: Email['links'] } {
  switch (a.kind) {
    case 'messages': {
      const p = a.conversation.participant;
      const convo = a.messages.flatMap((m) => [
        `${m.direction === 'in' ? `@${p.username}` : 'You'} · ${when(m.sent_at)}`,
        plain(m.text, 2000),
        '',
      ]);
      const intro = `${who(p.username, p.display_name)} sent you ${a.count === 1 ? 'a message' : `${a.count} messages`}:`;
      const tip = `Reply to this email to answer @${p.username} on TikTok, from any mail app: only what you write is sent (within 48 hours of their last message).`;
      return {
        lines: [intro, '', ...convo, tip],
        links: [
          { text: 'View message', href: MESSAGES_URL },
          { text: `@${p.username}`, href: profileUrl(p.username)! },
        ],
      };
    }
    case 'comments':
    case 'mentions': {
      const c = a.comment;
      const what = a.kind === 'mentions' ? 'mentioned you in a comment on a video' : 'commented on your video';
      const tip = `Reply to this email to answer @${c.username} under the comment (at most 150 characters): only what you write is sent.`;
      const video = videoUrl(owner, c.video_id) ?? profileUrl(owner)!;
      return {
        lines: [`${who(c.username, c.display_name)} ${what}:`, `"${plain(c.text, 500)}"`, '', tip],
        links: [
          { text: 'View comment', href: video },
          { text: `@${c.username}`, href: profileUrl(c.username)! },
        ],
      };
    }
    case 'followers': {
      const named = a.usernames.map((u) => `@${u}`);
      const lines = named.length
        ? [`New followers: ${named.join(', ')}${a.count > named.length ? ` and ${a.count - named.length} more` : ''}.`]
        : [`${a.count} new follower${a.count === 1 ? '' : 's'} on TikTok.`];
      return {
        lines,
        links: [
          ...a.usernames.slice(0, 5).map((u) => ({ text: `@${u}`, href: profileUrl(u)! })),
          { text: 'Your profile', href: profileUrl(owner)! },
        ],
      };
    }
    case 'ads':
      return {
        lines: [
          ...a.summaries.map((s) => `${plain(s, 300)}.`),
          '',
          'Review it in the extension (Ads tab) or in TikTok Ads Manager.',
        ],
        links: [{ text: 'TikTok Ads Manager', href: 'https://ads.tiktok.com/' }],
      };
  }
}

function threadHeaders(h: ThreadHeaders, unsubscribe: boolean): Record<string, string> {
  const refs = [...new Set([h.root, h.last].filter((x): x is string => !!x))];
  return {
    'Message-ID': h.message_id,
    ...(h.last && { 'In-Reply-To': h.last }),
    ...(refs.length && { References: refs.join(' ') }),
    ...(h.reply_to && { 'Reply-To': h.reply_to }),
    ...(unsubscribe && {
      'List-Unsubscribe': `<${h.unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    }),
  };
}

function footer(owner: string, kind: NotificationKind): string[] {
  return [
    '',
    '—',
    `You get this email because @${owner} is linked to this Gmail address in TikTok Gmail Link.`,
    `Turn off emails about ${KIND_LABEL[kind]}: use "Unsubscribe" in your mail app, the link below, or the extension's options.`,
  ];
}

export function notificationEmail(a: {
  to: string;
  owner: string;
  from: Sender;
  activity: Activity;
  headers: ThreadHeaders;
}): Email {
  const { lines, links } = bodyOf(a.activity, a.owner);
  return {
    to: a.to,
    from: { ...a.from },
    subject: subjectOf(a.activity, a.owner),
    text: [`Hi ${a.owner},`, ...lines, ...footer(a.owner, a.activity.kind)].join('\n'),
    links: [...links, { text: `Turn off emails about ${KIND_LABEL[a.activity.kind]}`, href: a.headers.unsubscribe }],
    kind: `notification.${a.activity.kind}`,
    headers: threadHeaders(a.headers, true),
  };
}

/** The answer to a reply that was not sent: why, in plain words, and the person's text, so nothing is lost. */
export function refusalEmail(a: {
  to: string;
  from: Sender;
  subject: string;
  inReplyTo: string;
  references: string[];
  headers: Pick<ThreadHeaders, 'message_id' | 'reply_to'>;
  peer: string | null;
  reason: string;
  text: string;
}): Email {
  const where = a.peer ? ` to @${a.peer}` : '';
  return {
    to: a.to,
    from: { ...a.from },
    subject: /^re:/i.test(a.subject) ? plain(a.subject, 200) : `Re: ${plain(a.subject, 200)}`,
    text: [
      `Your reply${where} was not sent to TikTok.`,
      '',
      `Why: ${a.reason}`,
      '',
      'Your text, so nothing is lost:',
      '',
      a.text || '(no new text was found above the quoted email)',
      '',
      'You can send it from TikTok, or fix it and reply to this email again.',
    ].join('\n'),
    links: [{ text: 'Open TikTok messages', href: MESSAGES_URL }],
    kind: 'reply.refused',
    headers: {
      'Message-ID': a.headers.message_id,
      'In-Reply-To': a.inReplyTo,
      References: [...a.references, a.inReplyTo].join(' '),
      ...(a.headers.reply_to && { 'Reply-To': a.headers.reply_to }),
      'Auto-Submitted': 'auto-replied',
    },
  };
}
