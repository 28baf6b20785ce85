/**
 * TikTok web addresses built from facts extracted from an email (a username, a numeric video id), never taken from the
 * email itself: a link in a message body can point anywhere, a URL built here can only point to www.tiktok.com.
 */
import { isValidUsername } from './api/rules';
import type { EmailKind } from './detect/kinds';
import type { OutboxEntry } from './messaging/catalogue';

export const TIKTOK_ORIGIN = 'https://www.tiktok.com';
export const MESSAGES_URL = `${TIKTOK_ORIGIN}/messages`;

/** TikTok video ids are decimal numbers (19 digits today). */
const VIDEO_ID_RE = /^\d{1,25}$/;

/** `@name` or `name` → `name` when it is a valid TikTok username, else null. */
export function cleanUsername(raw: string | undefined | null): string | null {
  if (!raw) return null;
  const name = raw.trim().replace(/^@/, '');
  return isValidUsername(name) ? name : null;
}

export function isVideoId(id: string | undefined | null): id is string {
  return !!id && VIDEO_ID_RE.test(id);
}

export function profileUrl(username: string | undefined | null): string | null {
  const name = cleanUsername(username);
  return name ? `${TIKTOK_ORIGIN}/@${name}` : null;
}

export function videoUrl(username: string | undefined | null, videoId: string | undefined | null): string | null {
  const profile = profileUrl(username);
  return profile && isVideoId(videoId) ? `${profile}/video/${videoId}` : null;
}

export function liveUrl(username: string | undefined | null): string | null {
  const profile = profileUrl(username);
  return profile ? `${profile}/live` : null;
}

export interface UrlFacts {
  username?: string;
  video_id?: string;
  /** The email's links on TikTok hosts (detection's `tiktok_links`): read only for the owner of `video_id`. */
  tiktok_links?: string[];
}

/**
 * The owner of video `videoId`, from a `https://*.tiktok.com/@owner/video/<videoId>` link of the email. The video a
 * like or comment is about belongs to the account owner, not to the user who liked or commented.
 */
export function videoOwner(links: string[] | undefined, videoId: string | undefined): string | null {
  if (!links || !isVideoId(videoId)) return null;
  for (const link of links) {
    try {
      const u = new URL(link);
      if (u.protocol !== 'https:' || !/(^|\.)tiktok\.com$/.test(u.hostname)) continue;
      const m = /^\/@([^/]+)\/video\/(\d+)\/?$/.exec(u.pathname);
      const owner = m && m[2] === videoId ? cleanUsername(decodeURIComponent(m[1]!)) : null;
      if (owner) return owner;
    } catch {
      /* not a URL */
    }
  }
  return null;
}

/** The TikTok page that shows what an email of `kind` is about, or null when the facts are not enough to build one. */
export function openInTikTokUrl(kind: EmailKind, facts: UrlFacts): string | null {
  switch (kind) {
    case 'message':
      return MESSAGES_URL;
    case 'comment':
    case 'mention':
    case 'like':
      return (
        videoUrl(videoOwner(facts.tiktok_links, facts.video_id) ?? facts.username, facts.video_id) ??
        profileUrl(facts.username)
      );
    case 'live':
      return liveUrl(facts.username);
    case 'follower':
      return profileUrl(facts.username);
    default:
      return null;
  }
}

/** Last check before opening a tab: https, exactly www.tiktok.com, no credentials or port. */
export function isTikTokWebUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && u.hostname === 'www.tiktok.com' && !u.port && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** TikTok's own hosts a service may send the user to for what it cannot do itself (API 1.1 `fallback_url`, `invite_url`). */
const FALLBACK_HOSTS = new Set(['www.tiktok.com', 'ads.tiktok.com', 'business.tiktok.com']);

/** A page on TikTok's web (profile, messages, Ads Manager, Business Center): https, one of those hosts, no credentials or port. */
export function isTikTokPageUrl(url: unknown): url is string {
  if (typeof url !== 'string') return false;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' && FALLBACK_HOSTS.has(u.hostname) && !u.port && !u.username && !u.password;
  } catch {
    return false;
  }
}

/** The `fallback_url` of a `not_supported` answer's details when it is a TikTok page, else undefined (never any other URL). */
export function fallbackUrlOf(details: Record<string, unknown> | undefined): string | undefined {
  const url = details?.fallback_url;
  return isTikTokPageUrl(url) ? url : undefined;
}

/** Where a reply the service cannot send at all (`not_supported`, kept as a draft) can be written by hand, or null. */
export function draftFallbackUrl(entry: Pick<OutboxEntry, 'error' | 'target'>): string | null {
  if (entry.error?.code !== 'not_supported') return null;
  return entry.error.fallback_url ?? (entry.target.kind === 'message' ? MESSAGES_URL : null);
}
