/**
 * Who is TikTok: decided by the sender's registrable domain (eTLD+1), never by the display name.
 * Allowlist from research/tiktok-emails.md §0.1 / §1 (Sublime Security's TikTok brand rule + TikTok's help centre).
 */

/** Registrable domains TikTok sends email from. */
export const TIKTOK_SENDER_DOMAINS = ['tiktok.com', 'tiktokglobalshop.com', 'tiktokusds.com', 'bytedance.com', 'tiktokacademy.com', 'webassessor.com'];

/** Registrable domains whose https links count as TikTok destinations (web, Shop and Ads hosts, research §1/§7). */
export const TIKTOK_LINK_DOMAINS = ['tiktok.com', 'tiktokshop.com', 'tiktokglobalshop.com', 'tiktok-shops.com'];

/** Multi-label public suffixes common enough to matter here; a full PSL is not needed for an allowlist check. */
const MULTI_LABEL_SUFFIXES = new Set([
  'co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'com.au', 'net.au', 'org.au', 'co.nz', 'co.jp', 'ne.jp', 'or.jp', 'co.kr',
  'com.br', 'com.mx', 'com.ar', 'com.co', 'com.tr', 'com.cn', 'com.hk', 'com.tw', 'com.sg', 'com.my', 'com.vn',
  'co.in', 'co.id', 'co.th', 'co.za', 'com.ru', 'com.ua', 'github.io', 'herokuapp.com', 'onrender.com', 'vercel.app',
  'netlify.app', 'web.app', 'firebaseapp.com', 'pages.dev', 'workers.dev', 'blogspot.com', 'appspot.com',
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

/** The domain part of an address, normalised; null if it is not an address. */
export function addressDomain(email: string): string | null {
  const at = email.trim().lastIndexOf('@');
  if (at <= 0) return null;
  return normalizeHost(email.trim().slice(at + 1));
}

export function isTikTokAddress(email: string): boolean {
  const domain = addressDomain(email);
  const root = domain && registrableDomain(domain);
  return !!root && TIKTOK_SENDER_DOMAINS.includes(root);
}

export function isTikTokLinkHost(host: string): boolean {
  const root = registrableDomain(host);
  return !!root && TIKTOK_LINK_DOMAINS.includes(root);
}
