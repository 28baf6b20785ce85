/**
 * TikTok links judged by their real destination: Gmail's redirect (`data-saferedirecturl`, google.com/url?q=) and
 * TikTok's external-link wrapper (`/link/v2?target=`) are unwrapped, a bounded number of times (research §7, §8.7).
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

/** The final destination of a link (after at most MAX_UNWRAP wrappers), or null if it cannot be parsed. */
export function realDestination(href: string): URL | null {
  let url = parse(href);
  for (let i = 0; url && i < MAX_UNWRAP; i++) {
    const inner = unwrapOnce(url);
    if (inner === null) return url;
    url = parse(inner);
  }
  return url && unwrapOnce(url) === null ? url : null; // still wrapped after the bound: not trusted
}

/** The https TikTok URL a link really leads to, or null (other hosts, userinfo, odd ports, other schemes). */
export function tiktokDestination(href: string, safeRedirect?: string | null): string | null {
  const url = realDestination(href) ?? (safeRedirect ? realDestination(safeRedirect) : null);
  if (!url) return null;
  if (url.protocol !== 'https:' || url.username || url.password || (url.port !== '' && url.port !== '443')) return null;
  return isTikTokLinkHost(url.hostname) ? url.href : null;
}
