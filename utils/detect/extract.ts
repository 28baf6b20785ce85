/**
 * Facts a feature can act on, pulled from a genuine TikTok email: code, the other user, video, Ads ids,
 * links. Each comes only from the sender TikTok uses for it (utils/detect/senders.ts `actionSender`) and from a fixed
 * place (issue 11 §3): the code from the start of a code sender's subject (or its template's code line), the other
 * user from the activity template's `(@handle)` confirmed by the email's own `https://www.tiktok.com/@handle` link.
 */
import type { EmailKind } from './kinds';
import { tiktokDestination } from './links';
import type { ActionSender } from './senders';

export interface EmailFacts {
  code?: string;
  /** The other TikTok user, without "@": the template's handle, agreed by the email's profile link when open. */
  username?: string;
  /**
   * Why an activity email names no other user although its kind is about one: the template's handle and the email's
   * profile link disagree (`mismatch`) or one of them is missing (`unconfirmed`). Reply, Follow and Open profile
   * are not offered; the inline UI says why.
   */
  handle_problem?: 'mismatch' | 'unconfirmed';
  video_id?: string;
  authorization_id?: string;
  /** Unwrapped https links on TikTok hosts only, in order, without duplicates. */
  tiktok_links: string[];
}

export interface LinkInput {
  href: string;
  /** Gmail's `data-saferedirecturl`, when present. */
  safe_redirect?: string | null;
}

export interface EmailInput {
  subject: string;
  /** Plain text of an open message (absent for list rows: Gmail only shows a snippet there). */
  body?: string;
  /** Links of an open message; absent for list rows (a row's handle stands on the subject template alone). */
  links?: LinkInput[];
}

const DIGIT_CODE = /(?<![\d\w-])(\d{6})(?![\d\w-])/u;
/** Shop / Partner Center: 6 upper-case letters and digits with at least one digit ("YBSM62"). */
const ALNUM_CODE = /(?<![A-Za-z0-9])((?=[A-Z]*\d)[A-Z0-9]{6})(?![A-Za-z0-9])/;
const CODE_CONTEXT = /code|código|codice|код|mã|验证码|驗證碼|認證碼/i;

const VIDEO_IN_PATH = /\/video\/(\d{19})(?!\d)/;
const AUTHORIZATION_IN_PATH = /\/(?:authorizations?|requests?)\/([A-Za-z0-9_-]{3,100})/;

/** Kinds whose email is about another TikTok user (a code email's "@name" is the reader's own account). */
const OTHER_USER_KINDS: EmailKind[] = ['message', 'comment', 'mention', 'follower', 'like', 'live'];
/** A profile page (or its LIVE page) on www.tiktok.com: `/@handle`, `/@handle/`, `/@handle/live`. */
const PROFILE_PATH = /^\/@([A-Za-z0-9_.]{2,24})(?:\/live)?\/?$/;
const SUBJECT_CODE = /^(\d{6})(?!\d)/;

/**
 * The code of a code email from TikTok's code senders: the six digits starting the subject, else (subjects without
 * the digits: "Mã xác minh", Partner Center) the first code in the body after TikTok's "enter this code" line.
 */
function extractCode(kind: EmailKind, input: EmailInput, sender: ActionSender): Pick<EmailFacts, 'code'> {
  if (kind !== 'code' || (sender !== 'code' && sender !== 'partner-code')) return {};
  let code = SUBJECT_CODE.exec(input.subject.trim())?.[1];
  const body = input.body ?? '';
  if (!code && CODE_CONTEXT.test(body)) {
    const afterPhrase = body.slice(body.search(CODE_CONTEXT));
    code = DIGIT_CODE.exec(afterPhrase)?.[1];
    if (!code && sender === 'partner-code') code = ALNUM_CODE.exec(afterPhrase.replace(/^[^:]*:/, ' '))?.[1];
  }
  return code ? { code } : {};
}

/** The template's handle when the email's own profile links name exactly that user (rows: the template alone). */
function confirmedHandle(
  handle: string | undefined,
  links: string[],
  open: boolean,
): Pick<EmailFacts, 'username' | 'handle_problem'> {
  if (!open) return handle ? { username: handle } : { handle_problem: 'unconfirmed' };
  const linked = new Set<string>();
  for (const link of links) {
    const url = new URL(link);
    const m = url.hostname === 'www.tiktok.com' ? PROFILE_PATH.exec(url.pathname) : null;
    if (m) linked.add(m[1]!.toLowerCase());
  }
  if (!handle || !linked.size) return { handle_problem: 'unconfirmed' };
  return linked.size === 1 && linked.has(handle.toLowerCase()) ? { username: handle } : { handle_problem: 'mismatch' };
}

/**
 * `handle`: the other user as the activity template places it (utils/detect/templates.ts), if any; `sender`: what the
 * sender is used for (a service's notification sender is `activity`: utils/detect/senders.ts `senderRole`).
 */
export function extractFacts(
  kind: EmailKind,
  input: EmailInput,
  handle: string | undefined,
  sender: ActionSender,
): EmailFacts {
  const tiktok_links: string[] = [];
  for (const link of input.links ?? []) {
    const dest = tiktokDestination(link.href, link.safe_redirect);
    if (dest && !tiktok_links.includes(dest)) tiktok_links.push(dest);
  }
  const facts: EmailFacts = { ...extractCode(kind, input, sender), tiktok_links };
  if (sender === 'activity' && OTHER_USER_KINDS.includes(kind))
    Object.assign(facts, confirmedHandle(handle, tiktok_links, input.links !== undefined));
  const video = tiktok_links.map((l) => VIDEO_IN_PATH.exec(new URL(l).pathname)?.[1]).find(Boolean);
  if (video) facts.video_id = video;
  for (const l of sender === 'ads' ? tiktok_links : []) {
    const url = new URL(l);
    if (
      !/(^|\.)ads\.tiktok\.com$|(^|\.)business\.tiktok\.com$/.test(url.hostname) &&
      !/authori[sz]/i.test(url.pathname)
    )
      continue;
    const id = url.searchParams.get('authorization_id') ?? AUTHORIZATION_IN_PATH.exec(url.pathname)?.[1];
    if (id) {
      facts.authorization_id = id;
      break;
    }
  }
  return facts;
}
