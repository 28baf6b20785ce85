/**
 * Who is TikTok: decided by the sender's registrable domain (eTLD+1), never by the display name, and only for an
 * address that is already plain ASCII exactly as written (issue 11 §1): nothing is trimmed, folded, percent-decoded
 * or converted by the URL parser first, so `tiktok\u200B.com`, `ｔｉｋｔｏｋ.com` or `tiktok%2Ecom` are not TikTok.
 * Allowlist from research/tiktok-emails.md §0.1 / §1 (Sublime Security's TikTok brand rule + TikTok's help centre).
 * Which of those senders TikTok uses for the kinds we act on (codes, activity, Ads) is `actionSender`.
 */

/** Registrable domains TikTok sends email from. */
export const TIKTOK_SENDER_DOMAINS = [
  'tiktok.com',
  'tiktokglobalshop.com',
  'tiktokusds.com',
  'bytedance.com',
  'tiktokacademy.com',
  'webassessor.com',
];

/** Registrable domains whose https links count as TikTok destinations (web, Shop and Ads hosts, research §1/§7). */
export const TIKTOK_LINK_DOMAINS = ['tiktok.com', 'tiktokshop.com', 'tiktokglobalshop.com', 'tiktok-shops.com'];

/** Multi-label public suffixes common enough to matter here; a full PSL is not needed for an allowlist check. */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk',
  'org.uk',
  'ac.uk',
  'gov.uk',
  'com.au',
  'net.au',
  'org.au',
  'co.nz',
  'co.jp',
  'ne.jp',
  'or.jp',
  'co.kr',
  'com.br',
  'com.mx',
  'com.ar',
  'com.co',
  'com.tr',
  'com.cn',
  'com.hk',
  'com.tw',
  'com.sg',
  'com.my',
  'com.vn',
  'co.in',
  'co.id',
  'co.th',
  'co.za',
  'com.ru',
  'com.ua',
  'github.io',
  'herokuapp.com',
  'onrender.com',
  'vercel.app',
  'netlify.app',
  'web.app',
  'firebaseapp.com',
  'pages.dev',
  'workers.dev',
  'blogspot.com',
  'appspot.com',
]);

/** Lower-cased ASCII host: trims whitespace and trailing dots, converts IDN to punycode. Null if not a hostname. */
export function normalizeHost(host: string): string | null {
  const trimmed = host.trim().replace(/\.+$/, '').toLowerCase();
  if (!trimmed || /[\s/@:?#\\]/.test(trimmed)) return null;
  try {
    const ascii = new URL(`https://${trimmed}/`).hostname;
    return ascii || null;
  } catch {
    return null;
  }
}

/** eTLD+1 of a normalised host ("a.b.tiktok.com" → "tiktok.com", "x.co.uk" → "x.co.uk"). */
export function registrableDomain(host: string): string | null {
  const normal = normalizeHost(host);
  if (!normal || /^\d+(\.\d+){3}$/.test(normal) || normal.startsWith('[')) return null;
  const labels = normal.split('.');
  if (labels.length < 2 || labels.some((l) => l === '')) return null;
  const lastTwo = labels.slice(-2).join('.');
  const take = MULTI_LABEL_SUFFIXES.has(lastTwo) ? 3 : 2;
  return labels.length >= take ? labels.slice(-take).join('.') : null;
}

/**
 * An address as TikTok writes them: ASCII letters, digits and `._+-` before the `@`, dot-separated LDH labels after it
 * (internationalised domains arrive as `xn--`), no whitespace, no trailing dot, nothing invisible, nothing escaped.
 */
const PLAIN_ADDRESS =
  /^[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,62}[A-Za-z0-9_+-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export function isPlainAddress(email: string): boolean {
  return email.length <= 254 && PLAIN_ADDRESS.test(email);
}

/** The host's registrable domain is one of `domains`. */
export function isUnderDomains(host: string, domains: readonly string[]): boolean {
  const root = registrableDomain(host);
  return !!root && domains.includes(root);
}

export const isTikTokAddress = (email: string) =>
  isPlainAddress(email) && isUnderDomains(email.slice(email.lastIndexOf('@') + 1), TIKTOK_SENDER_DOMAINS);

/**
 * What TikTok uses an exact sender for, among the kinds we act on (research §1, [C] rows only): codes from
 * `account.tiktok.com` and the Partner Center, activity (messages, comments, follows, likes, LIVE) from
 * `notification@service.tiktok.com`, Ads notices from `notifications.tiktok.com`. Every other allowlisted sender
 * (Shop, newsletters, `bytedance.com`, `tiktokusds.com`, `tiktokacademy.com`, `webassessor.com`, unknown
 * `*.tiktok.com`) is genuine TikTok but gets no action: no code, no reply, no follow, no review.
 */
export type ActionSender = 'code' | 'partner-code' | 'activity' | 'ads' | null;

export function actionSender(email: string): ActionSender {
  if (!isTikTokAddress(email)) return null;
  const address = email.toLowerCase();
  if (/^(?:register|noreply|no-reply)@account\.tiktok\.com$/.test(address)) return 'code';
  if (address === 'partner@email.tiktok.com') return 'partner-code';
  if (address === 'notification@service.tiktok.com') return 'activity';
  if (/^(?:no-reply|noreply-tt4b)@notifications\.tiktok\.com$/.test(address)) return 'ads';
  return null;
}

/**
 * The chosen service's own notification senders (API 1.1 `notification_senders`) as the background accepted them
 * (utils/service-senders.ts: at the service URL's registrable domain or below it, by the public suffix list), handed to
 * the content script with its settings. Their emails are TikTok activity told by the service; lookalikes of `domain`
 * are impostors (impersonation.ts).
 */
export interface ServiceSenders {
  /** Accepted addresses, lower case. */
  addresses: readonly string[];
  /** The service URL's registrable domain, or null (the sandbox, a loopback service: nothing accepted). */
  domain: string | null;
}

export const NO_SERVICE_SENDERS: ServiceSenders = { addresses: [], domain: null };

/** `host` is `domain` or one of its subdomains. */
export const isAtOrBelow = (host: string, domain: string) => host === domain || host.endsWith(`.${domain}`);

function isServiceSender(email: string, service: ServiceSenders): boolean {
  const address = email.toLowerCase();
  return (
    !!service.domain &&
    isPlainAddress(email) &&
    service.addresses.includes(address) &&
    isAtOrBelow(address.slice(address.lastIndexOf('@') + 1), service.domain)
  );
}

/** TikTok's own sender or one of the service's accepted notification senders. */
export const isGenuineSender = (email: string, service: ServiceSenders) =>
  isTikTokAddress(email) || isServiceSender(email, service);

/** What an exact sender is used for: TikTok's (`actionSender`), and the service's notification senders' activity. */
export const senderRole = (email: string, service: ServiceSenders): ActionSender =>
  actionSender(email) ?? (isServiceSender(email, service) ? 'activity' : null);

export const isTikTokLinkHost = (host: string) => isUnderDomains(host, TIKTOK_LINK_DOMAINS);
