/**
 * TikTok's JSON carries comment and message ids as bare numbers that can exceed 2^53 (research real-service.md §2).
 * `bigIdJson` writes ids marked with `bigId()` as bare numbers the way TikTok does, so the server's parser is tested
 * on the real shape (the server quotes them before JSON.parse: server/tiktok/json.ts).
 */
const MARK = '\u0000bigid:';

/** Marks a decimal id string to be written as a bare JSON number. */
export const bigId = (id: string): string => `${MARK}${id}`;

export function bigIdJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0000bigid:(\d+)"/g, '$1');
}
