/**
 * TikTok links judged by their real destination: Gmail's redirect (`data-saferedirecturl`, google.com/url?q=) and
 * TikTok's external-link wrapper (`/link/v2?target=`) are unwrapped, a bounded number of times (research §7, §8.7).
 * A destination whose path, as written, has `.`/`..` segments, backslashes or encoded slashes, dots or backslashes is
 * not offered: the URL parser would resolve `/@friend/../messages` into another page than the one the text shows.
 */
import { isTikTokLinkHost, registrableDomain } from './senders';

const MAX_UNWRAP = 5;

function parse(href: string): URL | null {
  try {
    return new URL(href.trim());
  } catch {
    return null;
  }
}

/** One level of unwrapping, or null when the URL is not a known wrapper. */
function unwrapOnce(url: URL): string | null {
  const root = registrableDomain(url.hostname);
  if ((root === 'google.com' || root?.startsWith('google.')) && url.pathname === '/url') {
    return url.searchParams.get('q') ?? url.searchParams.get('url');
  }
  if (root === 'tiktok.com' && /^\/link\/v\d+\/?$/.test(url.pathname)) return url.searchParams.get('target');
  return null;
}

/** The path of a URL exactly as written (before the parser resolves dot segments and escapes). */
const RAW_PATH = /^[a-z][a-z0-9+.-]*:[\\/]*[^\\/?#]*([^?#]*)/i;
const UNSAFE_PATH = /(^|[\\/])\.{1,2}([\\/]|$)|\\|%2f|%5c|%2e/i;

/** The final destination of a link (after at most MAX_UNWRAP wrappers), or null if it cannot be parsed or is ambiguous. */
function realDestination(href: string): URL | null {
  let raw = href;
  let url = parse(raw);
  for (let i = 0; url && i < MAX_UNWRAP; i++) {
    const inner = unwrapOnce(url);
    if (inner === null) break;
    raw = inner;
    url = parse(raw);
  }
  if (!url || unwrapOnce(url) !== null) return null; // still wrapped after the bound: not trusted
  return UNSAFE_PATH.test(RAW_PATH.exec(raw.trim())?.[1] ?? '') ? null : url;
}

/** The https TikTok URL a link really leads to, or null (other hosts, userinfo, odd ports, other schemes). */
export function tiktokDestination(href: string, safeRedirect?: string | null): string | null {
  const url = realDestination(href) ?? (safeRedirect ? realDestination(safeRedirect) : null);
  if (!url) return null;
  if (url.protocol !== 'https:' || url.username || url.password || (url.port !== '' && url.port !== '443')) return null;
  return isTikTokLinkHost(url.hostname) ? url.href : null;
}
