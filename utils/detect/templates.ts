/**
 * The fixed parts of TikTok's activity subjects (issue 11 §3): what kind an email from
 * `notification@service.tiktok.com` is, and who the other user is, read only from the place TikTok's template puts
 * them, never from text other users wrote (display names, comments, captions).
 *
 * Shapes (sandbox emails; research/tiktok-emails.md §3, [I] for every language but the es like): `{display name}
 * (@handle) {verb}` with the verb ending the subject, `@handle {verb}` as the whole subject, and for comments
 * `@handle commented: "{comment}"` with the handle starting it. A display name can contain anything, including
 * `(@someone) sent you a message`, but it always comes *before* TikTok's own `(@handle) {verb}` at the end; a comment
 * always comes *after* the `@handle commented:` at the start. A subject that fits two templates of different kinds
 * (a display name written to look like another template) gets neither.
 */
import type { EmailKind } from './kinds';

/** A TikTok handle as it appears after `@` (the service's username rule is checked again before any action). */
const HANDLE = '([A-Za-z0-9_.]{2,24})';

/** Verb phrases that end the subject, per kind; every language the detector knows (en, es, fr, it, ru, vi, zh). */
const ENDINGS: [EmailKind, string][] = [
  [
    'message',
    'sent you a message|te envió un mensaje|vous a envoyé un message|ti ha inviato un messaggio|отправил(?:а)? вам сообщение|(?:đã )?gửi cho bạn (?:một )?tin nhắn|给你发了消息',
  ],
  [
    'mention',
    'mentioned you(?: in a comment)?|te mencionó(?: en un comentario)?|vous a mentionné|ti ha menzionato|упомянул(?:а)?(?: вас)?|đã nhắc đến bạn|提到了你',
  ],
  [
    'comment',
    'commented on your video|replied to your comment|comentó tu video|a commenté votre vidéo|ha commentato il tuo video|прокомментировал(?:а)? ваше видео|评论了你的视频',
  ],
  [
    'follower',
    'started following you|(?:comenzó|empezó) a seguirte|(?:a )?commencé à vous suivre|ha iniziato a seguirti|подписал(?:ся|ась)? на вас|(?:đã )?bắt đầu (?:follow|theo dõi) bạn|关注了你',
  ],
  [
    'like',
    'liked your video|dio me gusta a tu publicación|a aimé votre vidéo|ha messo mi piace al tuo video|понравилось ваше видео|đã thích video của bạn|赞了你的视频',
  ],
  ['live', 'is live now|está en vivo|est en direct|è in diretta|в эфире|đang phát trực tiếp|正在直播'],
];

const END_RULES = ENDINGS.map(([kind, verbs]): [EmailKind, RegExp, RegExp] => [
  kind,
  new RegExp(`(?:^|\\s)(?:${verbs})[.!]?$`, 'iu'),
  new RegExp(`(?:^@${HANDLE}|\\s\\(@${HANDLE}\\))\\s+(?:${verbs})[.!]?$`, 'iu'),
]);

/** `@handle commented: "…"` (and translations): the comment follows, so the handle starts the subject. */
const COMMENT_START = new RegExp(
  `^@${HANDLE}\\s+(?:commented|comentó|a commenté|ha commentato|прокомментировал(?:а)?|(?:đã )?bình luận|评论了?)\\s*[:：]`,
  'iu',
);

/** `New message from @handle`, the research Gmail captures' DM subject (gmail-dom.md fixtures): the handle ends it. */
const MESSAGE_FROM = new RegExp(`^new message from @${HANDLE}$`, 'iu');

/**
 * Other fixed subjects of the activity sender: the French Gmail-category fixture's "Message" [C]; the research
 * captures' "You have a new follower"; Spark Ads requests [I].
 */
const WHOLE: [EmailKind, RegExp][] = [
  ['message', /^message$/iu],
  ['follower', /^you have (?:a|\d+) new followers?$/iu],
  ['ads', /authori[sz]ation request$/iu],
];

export interface ActivitySubject {
  kind: EmailKind;
  /** The other user, from the template's own place (absent when the template names nobody, e.g. "Message"). */
  handle?: string;
}

/** What an activity subject is, or null when it fits no template or fits templates of two kinds. */
export function readActivitySubject(subject: string): ActivitySubject | null {
  const text = subject.trim();
  const found: ActivitySubject[] = [];
  const start = COMMENT_START.exec(text);
  if (start) found.push({ kind: 'comment', handle: start[1] });
  const messageFrom = MESSAGE_FROM.exec(text);
  if (messageFrom) found.push({ kind: 'message', handle: messageFrom[1] });
  for (const [kind, verb, withHandle] of END_RULES) {
    if (!verb.test(text)) continue;
    const m = withHandle.exec(text);
    const handle = m?.[1] ?? m?.[2];
    found.push(handle ? { kind, handle } : { kind });
    break;
  }
  if (!found.length) {
    const whole = WHOLE.find(([, re]) => re.test(text));
    return whole ? { kind: whole[0] } : null;
  }
  const [first] = found;
  return found.every((f) => f.kind === first!.kind && f.handle === first!.handle) ? first! : null;
}
