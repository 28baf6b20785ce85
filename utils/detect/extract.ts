/** Facts a feature can act on, pulled from a genuine TikTok email: code and expiry, the other user, video, Ads ids, links. */
import type { EmailKind } from './kinds';
import { tiktokDestination } from './links';

export interface EmailFacts {
  code?: string;
  /** Seconds the code stays valid, when the email says so ("expire after 48 hours", "valid for 20 minutes"). */
  code_expires_in?: number;
  /** The other TikTok user, without "@". */
  username?: string;
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
  email: string;
  subject: string;
  /** Plain text of an open message (absent for list rows: Gmail only shows a snippet there). */
  body?: string;
  links?: LinkInput[];
}

const DIGIT_CODE = /(?<![\d\w-])(\d{6})(?![\d\w-])/u;
/** Shop / Partner Center: 6 upper-case letters and digits with at least one digit ("YBSM62"). */
const ALNUM_CODE = /(?<![A-Za-z0-9])((?=[A-Z]*\d)[A-Z0-9]{6})(?![A-Za-z0-9])/;
const CODE_CONTEXT = /code|código|codice|код|mã|验证码|驗證碼|認證碼/i;

const UNIT_SECONDS: [RegExp, number][] = [
  [/^(minutes?|mins?|minutos?|minuti|minuto|минут[ыау]?|phút|分钟|分鐘)$/i, 60],
  [/^(hours?|hrs?|horas?|heures?|ore|ora|час(а|ов)?|giờ|小时|小時)$/i, 3600],
  [/^(days?|días?|jours?|giorni|giorno|дн(я|ей)|день|ngày|天)$/i, 86400],
];
const EXPIRY = /(\d{1,3})\s*(minutes?|mins?|minutos?|minuti|minuto|минут[ыау]?|phút|分钟|分鐘|hours?|hrs?|horas?|heures?|ore|ora|час(?:а|ов)?|giờ|小时|小時|days?|días?|jours?|giorni|giorno|дн(?:я|ей)|день|ngày|天)/iu;
const EXPIRY_CONTEXT = /expire|valid|válid|valabl|scad|срок|действ|hiệu lực|hết hạn|有效|过期|過期/i;

const USERNAME = /(?<![\w.@])@([A-Za-z0-9_][A-Za-z0-9_.]{0,23})(?<!\.)/u;
const VIDEO_IN_PATH = /\/video\/(\d{19})(?!\d)/;
const AUTHORIZATION_IN_PATH = /\/(?:authorizations?|requests?)\/([A-Za-z0-9_-]{3,100})/;

/** Kinds whose email is about another TikTok user (a code email's "@name" is the reader's own account). */
const OTHER_USER_KINDS: EmailKind[] = ['message', 'comment', 'mention', 'follower', 'like', 'live', 'ads'];

function isShopSender(email: string): boolean {
  return /@(?:[\w-]+\.)*(?:shop\.tiktok\.com|tiktokglobalshop\.com)$|^(partner|shop)@email\.tiktok\.com$/i.test(email.trim());
}

export function extractCode(kind: EmailKind, input: EmailInput): Pick<EmailFacts, 'code' | 'code_expires_in'> {
  if (kind !== 'code') return {};
  const texts = [input.subject, input.body ?? ''];
  let code: string | undefined;
  for (const text of texts) {
    code = DIGIT_CODE.exec(text)?.[1];
    if (!code && isShopSender(input.email) && CODE_CONTEXT.test(text)) code = ALNUM_CODE.exec(text.replace(/^[^:]*code[^:]*:/i, ' '))?.[1];
    if (code) break;
  }
  const facts: Pick<EmailFacts, 'code' | 'code_expires_in'> = code ? { code } : {};
  for (const sentence of (input.body ?? '').split(/[.\n。]/)) {
    if (!EXPIRY_CONTEXT.test(sentence)) continue;
    const match = EXPIRY.exec(sentence);
    const unit = match && UNIT_SECONDS.find(([re]) => re.test(match[2]!));
    if (match && unit) {
      facts.code_expires_in = Number(match[1]) * unit[1];
      break;
    }
  }
  return facts;
}

export function extractFacts(kind: EmailKind, input: EmailInput): EmailFacts {
  const tiktok_links: string[] = [];
  for (const link of input.links ?? []) {
    const dest = tiktokDestination(link.href, link.safe_redirect);
    if (dest && !tiktok_links.includes(dest)) tiktok_links.push(dest);
  }
  const facts: EmailFacts = { ...extractCode(kind, input), tiktok_links };
  const textUser = USERNAME.exec(input.subject)?.[1] ?? USERNAME.exec(input.body ?? '')?.[1];
  const linkUser = tiktok_links.map((l) => /^https:\/\/(?:www\.|m\.)?tiktok\.com\/@([A-Za-z0-9_.]{1,24})/.exec(l)?.[1]).find(Boolean);
  const username = textUser ?? linkUser;
  if (username && OTHER_USER_KINDS.includes(kind)) facts.username = username;
  const video = tiktok_links.map((l) => VIDEO_IN_PATH.exec(new URL(l).pathname)?.[1]).find(Boolean);
  if (video) facts.video_id = video;
  for (const l of tiktok_links) {
    const url = new URL(l);
    if (!/(^|\.)ads\.tiktok\.com$|(^|\.)business\.tiktok\.com$/.test(url.hostname) && !/authori[sz]/i.test(url.pathname)) continue;
    const id = url.searchParams.get('authorization_id') ?? AUTHORIZATION_IN_PATH.exec(url.pathname)?.[1];
    if (id) {
      facts.authorization_id = id;
      break;
    }
  }
  return facts;
}
