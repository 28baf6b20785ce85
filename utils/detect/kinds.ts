/** What a genuine TikTok email is about. Plain constants: the content script imports this and must stay small. */
export const EMAIL_KINDS = [
  'code',
  'security',
  'message',
  'comment',
  'mention',
  'follower',
  'like',
  'live',
  'ads',
  'shop',
  'other',
] as const;
export type EmailKind = (typeof EMAIL_KINDS)[number];
