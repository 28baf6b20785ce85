/**
 * Which of a service's `notification_senders` (API 1.1 `GET /v1/service`) the extension believes: an address is
 * accepted only at the service URL's registrable domain or below it, by the public suffix list (`tldts`, ICANN and
 * private sections, so `a.herokuapp.com` cannot vouch for `b.herokuapp.com`). A service cannot make the extension
 * trust `gmail.com`, TikTok's own domains or another company's domain (service-api.md "Notification emails").
 * Runs in the background only (the content script gets the result, utils/detect/senders.ts `ServiceSenders`): the
 * suffix list stays out of the Gmail bundle.
 */
import { parse } from 'tldts';
import { isPlainAddress, isAtOrBelow, TIKTOK_SENDER_DOMAINS, type ServiceSenders } from './detect/senders';

/**
 * Registrable domains where anyone can get an address or a page, so hosting a service there proves nothing about
 * their mail (a web app on script.google.com must not vouch for google.com), plus TikTok's own (detection already
 * knows those senders, a service must not change what they are used for).
 */
const SHARED_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'google.com',
  'outlook.com',
  'hotmail.com',
  'live.com',
  'msn.com',
  'microsoft.com',
  'yahoo.com',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'apple.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.net',
  'mail.com',
  'zoho.com',
  'yandex.ru',
  'yandex.com',
  'mail.ru',
  'qq.com',
  '163.com',
  'fastmail.com',
  ...TIKTOK_SENDER_DOMAINS,
]);

export type SenderRefusal = 'not_an_address' | 'no_service_domain' | 'other_domain';

export interface AcceptedSenders extends ServiceSenders {
  refused: { sender: string; reason: SenderRefusal }[];
}

/** The registrable domain of an https service URL under a listed public suffix, unless anyone can have one there. */
export function serviceDomain(baseUrl: string | null): string | null {
  let url: URL;
  try {
    url = new URL(baseUrl ?? '');
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  const host = parse(url.hostname, { allowPrivateDomains: true });
  if (host.isIp || !host.domain || !(host.isIcann || host.isPrivate)) return null;
  return SHARED_DOMAINS.has(host.domain) ? null : host.domain;
}

/** `senders` (as the service listed them) split into those accepted for the service at `baseUrl` and those refused, with why. */
export function acceptNotificationSenders(baseUrl: string | null, senders: readonly string[]): AcceptedSenders {
  const domain = serviceDomain(baseUrl);
  const addresses: string[] = [];
  const refused: AcceptedSenders['refused'] = [];
  for (const sender of senders) {
    const address = sender.toLowerCase();
    let reason: SenderRefusal | null = null;
    if (!isPlainAddress(sender)) reason = 'not_an_address';
    else if (!domain) reason = 'no_service_domain';
    else if (!isAtOrBelow(address.slice(address.lastIndexOf('@') + 1), domain)) reason = 'other_domain';
    if (reason) refused.push({ sender, reason });
    else if (!addresses.includes(address)) addresses.push(address);
  }
  return { addresses, domain, refused };
}
