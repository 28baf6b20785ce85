/**
 * The service's text and username rules as plain functions, without zod: the Gmail content script checks them before
 * sending and must stay small. `schemas.ts` re-exports them.
 */

/** `invalid_username` rule: 2–24 chars of letters, digits, `_` and `.`; not ending in `.`. */
export const USERNAME_RE = /^[A-Za-z0-9_.]{2,24}$/;
export const isValidUsername = (u: string) => USERNAME_RE.test(u) && !u.endsWith('.');
export const COMMENT_MAX = 150;
export const MESSAGE_MAX = 6000;
/** Length as TikTok counts it: user-perceived characters (grapheme clusters). */
export function tiktokLength(text: string): number {
  const Seg = (Intl as unknown as { Segmenter?: typeof Intl.Segmenter }).Segmenter;
  if (Seg) {
    let n = 0;
    for (const _ of new Seg(undefined, { granularity: 'grapheme' }).segment(text)) n++;
    return n;
  }
  return Array.from(text).length;
}
