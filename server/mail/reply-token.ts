/**
 * The reply address of a notification email, `reply+<token>@REPLY_DOMAIN`, where the token names one mail thread (one
 * link and one conversation, comment or kind: table `mail_threads`) and is signed: `<thread id><mac>`, 40 lowercase hex
 * characters — the thread's random 10-byte id, then the first 10 bytes of HMAC-SHA256(key derived from SECRET_KEY,
 * "reply-token v1:<thread id>"). It cannot be guessed (80 random bits and an 80-bit MAC), and one thread's token never
 * names another thread: the MAC is checked (in constant time) before the database is asked anything. Hex survives
 * mail systems that change the case of local parts; the address stays under the 64-character limit of a local part.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ID_BYTES = 10;
const MAC_BYTES = 10;
const TOKEN = new RegExp(`^[0-9a-f]{${2 * (ID_BYTES + MAC_BYTES)}}$`);

const mac = (key: Buffer, threadId: string) =>
  createHmac('sha256', key).update(`reply-token v1:${threadId}`).digest().subarray(0, MAC_BYTES);

/** A new thread id (what the token carries). */
export const newThreadId = (): string => randomBytes(ID_BYTES).toString('hex');

export const replyToken = (key: Buffer, threadId: string): string => `${threadId}${mac(key, threadId).toString('hex')}`;

/** The thread id a token names, or null when it is malformed or its MAC does not match. */
export function readReplyToken(key: Buffer, token: string): string | null {
  const t = token.toLowerCase();
  if (!TOKEN.test(t)) return null;
  const threadId = t.slice(0, 2 * ID_BYTES);
  const got = Buffer.from(t.slice(2 * ID_BYTES), 'hex');
  return timingSafeEqual(got, mac(key, threadId)) ? threadId : null;
}

export const replyAddress = (key: Buffer, threadId: string, domain: string): string =>
  `reply+${replyToken(key, threadId)}@${domain}`;

/** The token of a `reply+<token>@<domain>` address (any case), or null for any other address. */
export function tokenOfAddress(address: string, domain: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0 || address.slice(at + 1).toLowerCase() !== domain.toLowerCase()) return null;
  const m = /^reply\+([^@]+)$/i.exec(address.slice(0, at));
  return m ? m[1]! : null;
}
