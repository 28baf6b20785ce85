/**
 * Gmail addresses, in one place: how an address is written as a key, when typed text is an address, and what is wrong
 * with one that is not (which part, and the typo hints the link flow shows). Pure (no zod, no browser API): the popup's
 * first bundle, the worker and the service core all use it.
 */
import type { MessageKey } from './i18n';

/** Gmail addresses as keys: trimmed and lower-cased, so "Me@Gmail.com " and "me@gmail.com" are one account. */
export const normaliseGmail = (gmail: string) => gmail.trim().toLowerCase();

/** The service's rule: no spaces, one @, a domain of dot-separated labels, at most 320 characters. */
const ADDRESS = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const MAX_LENGTH = 320;

/** Whether `email` (as it is: nothing is trimmed) is an email address by the service's rule. */
export const isEmailAddress = (email: string) => email.length <= MAX_LENGTH && ADDRESS.test(email);

/** Whether typed text is an address, surrounding spaces aside: the popup waits for one before asking about it. */
export const looksLikeAddress = (typed: string) => isEmailAddress(typed.trim());

const TYPO_DOMAINS: Record<string, string> = {
  'gmial.com': 'gmail.com',
  'gamil.com': 'gmail.com',
  'gmai.com': 'gmail.com',
  'gmal.com': 'gmail.com',
  'gnail.com': 'gmail.com',
  'gmail.co': 'gmail.com',
  'gmail.con': 'gmail.com',
  'gmail.cm': 'gmail.com',
  'gmail.om': 'gmail.com',
  'gmaill.com': 'gmail.com',
  'googlemail.con': 'googlemail.com',
};

/**
 * Mail providers whose addresses are never Google accounts. Any other domain may be Google Workspace (that cannot be
 * told by its name), so it is accepted; the popup warns when it is not the account of the open Gmail tab.
 */
const NOT_GOOGLE =
  /^(outlook|hotmail|live|msn|yahoo|ymail|aol|icloud|me|mac|proton|protonmail|pm|gmx|web|mail|yandex|zoho|tutanota|fastmail|qq|163|naver)(\.[a-z]{2,3}){1,2}$/i;

/** What is wrong with a typed Gmail address: the message (with its substitutions) and the part it points at. */
export interface AddressProblem {
  message: MessageKey;
  subs?: string | string[];
  part: string;
}

const LOCAL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/;
const DOMAIN = /^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;

/**
 * Checks a typed Gmail address the way the service does (surrounding spaces are trimmed, nothing else is fixed) and
 * says which part is wrong, with a fix for a common domain typo and a word on providers that are never Google
 * accounts. Null when the address will do.
 */
export function gmailAddressProblem(raw: string): AddressProblem | null {
  const email = raw.trim();
  if (!email) return { message: 'link_err_email_empty', part: '' };
  const space = email.search(/\s/);
  if (space >= 0)
    return { message: 'link_err_email_space', subs: [email.slice(0, space) || '…'], part: email.slice(0, space) };
  const at = email.split('@');
  if (at.length === 1) return { message: 'link_err_email_no_at', part: email };
  if (at.length > 2) return { message: 'link_err_email_many_at', part: email };
  const [local = '', domain = ''] = at;
  if (!local) return { message: 'link_err_email_no_local', part: '' };
  if (!domain) return { message: 'link_err_email_no_domain', subs: local, part: '' };
  if (/^\.|\.$|\.\./.test(local) || !LOCAL.test(local))
    return { message: 'link_err_email_bad_local', subs: local, part: local };
  if (!DOMAIN.test(domain) || /(^|\.)-|-(\.|$)/.test(domain))
    return { message: 'link_err_email_bad_domain', subs: domain, part: domain };
  const fix = TYPO_DOMAINS[domain.toLowerCase()];
  if (fix) return { message: 'link_err_email_typo', subs: [domain, `${local}@${fix}`], part: domain };
  if (NOT_GOOGLE.test(domain)) return { message: 'link_err_email_not_google', subs: domain, part: domain };
  return null;
}
