/**
 * Impostors: a display name or address that claims TikTok while the address is not TikTok's
 * (research/tiktok-emails.md §8: confusables, Levenshtein ≤ 1, "Tik Tok", lookalike domains, free-mail "TikTok"),
 * including addresses that are TikTok's only once folded (issue 11 §1) and domains that split `tik`/`tok` (§2).
 * Lookalike letters come from Unicode's confusables data (utils/detect/confusables.ts, generated).
 */
import { LOOKALIKES } from './confusables';
import { decodePunycodeLabel } from './punycode';
import {
  isAtOrBelow,
  isGenuineSender,
  isPlainAddress,
  isUnderDomains,
  NO_SERVICE_SENDERS,
  normalizeHost,
  TIKTOK_SENDER_DOMAINS,
  type ServiceSenders,
} from './senders';

/** Default-ignorable code points (zero-width, joiners, bidi controls, soft hyphen, BOM, tags, fillers…). */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u061C\u180E]/gu;

/** Digits and symbols read as letters ("T1kT0k", "Ti|<Tok"), beside the confusables table. */
const LEET: Record<string, string> = { '0': 'o', '1': 'i', '|': 'l', '!': 'i', '3': 'e', $: 's' };

/** The generated table's code points (base-36 gaps) as characters. */
function decodeCodePoints(gaps: string): string[] {
  let cp = 0;
  return gaps.split(' ').map((gap) => String.fromCodePoint((cp += parseInt(gap, 36))));
}

let lookalike: Map<string, string> | undefined;
function letterOf(ch: string): string {
  lookalike ??= new Map(
    Object.entries(LOOKALIKES).flatMap(([letter, gaps]) =>
      decodeCodePoints(gaps).map((c): [string, string] => [c, letter]),
    ),
  );
  return lookalike.get(ch) ?? lookalike.get(ch.toLowerCase()) ?? LEET[ch] ?? ch;
}

/** Lower case with compatibility forms and lookalikes folded, accents and invisibles removed. */
const fold = (text: string) =>
  [...text.normalize('NFKC').replace(INVISIBLE, '')]
    .map(letterOf)
    .join('')
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{M}/gu, '');

/** Lower-case Latin skeleton of a string: compatibility forms and lookalikes folded, accents, invisibles and separators removed. */
export const skeleton = (text: string) => fold(text).replace(/[^a-z]/g, '');

/** Full stops a reader takes for dots in an address (ideographic, halfwidth, small, one-dot leader; fullwidth via NFKC). */
const DOTS = /[\u3002\uFF61\uFE52\u2024]/g;

/**
 * An address as a reader sees it: percent-escapes decoded (bounded), NFKC, invisibles dropped, odd full stops as dots,
 * lower case, surrounding spaces and trailing dots gone. Only ever used to decide whether an address *claims* TikTok.
 */
export function foldAddress(email: string): string {
  let text = email;
  for (let i = 0; i < 3 && /%[0-9a-f]{2}/i.test(text); i++) {
    try {
      text = decodeURIComponent(text);
    } catch {
      break;
    }
  }
  return text.normalize('NFKC').replace(INVISIBLE, '').replace(DOTS, '.').toLowerCase().trim().replace(/\.+$/, '');
}

/** Levenshtein distance, stopping early once it exceeds `max`; a `?` in `a` (a letter `loose` could not read) matches anything. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        prev[j]! + 1,
        cur[j - 1]! + 1,
        prev[j - 1]! + (a[i - 1] === b[j - 1] || a[i - 1] === '?' ? 0 : 1),
      );
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

const BRAND = 'tiktok';

/** Right-to-left marks and overrides/embeddings/isolates, and right-to-left script letters. */
const BIDI = /[\u200F\u202B\u202E\u2067\u061C\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

/**
 * True if the text, once folded, contains "tiktok" or something within one edit of it. Text with right-to-left
 * controls is also read reversed: "\u202EkoTkiT" renders as "TikTok".
 */
export function claimsTikTok(text: string): boolean {
  return claimsInOrder(text) || (BIDI.test(text) && claimsInOrder([...text].reverse().join('')));
}

function claimsInOrder(text: string): boolean {
  const s = skeleton(text);
  if (s.includes(BRAND)) return true;
  for (let len = BRAND.length - 1; len <= BRAND.length + 1; len++) {
    for (let i = 0; i + len <= s.length; i++) {
      const part = s.slice(i, i + len);
      if (part[0] === 't' && editDistance(part, BRAND, 1) <= 1) return true;
    }
  }
  return false;
}

/** Labels of a domain in Unicode (punycode decoded; an invalid `xn--` label stays as written). */
const unicodeLabels = (domain: string) => domain.split('.').map((label) => decodePunycodeLabel(label) ?? label);

/** A label claims TikTok, or `tik` + `tok` are split by separators starting at a boundary (`tik.tok-alerts.com`). */
export function domainClaimsTikTok(domain: string): boolean {
  const labels = unicodeLabels(domain);
  if (labels.some(claimsTikTok)) return true;
  const parts = labels
    .join('.')
    .split(/[.\-_\s]+/)
    .map(skeleton);
  for (let i = 0; i < parts.length; i++) {
    let joined = '';
    for (let j = i; j < parts.length && joined.length < BRAND.length; j++) joined += parts[j];
    if (joined.startsWith(BRAND)) return true;
  }
  return false;
}

export interface Sender {
  email: string;
  name: string;
}

/**
 * A label as a reader takes it, for comparing with a service's name: NFKC, lookalike letters and digits folded,
 * accents gone, `rn` → `m`, `vv` → `w`; any other character that is not a-z, 0-9 or `-` becomes `?` (matches any letter).
 */
const loose = (label: string) =>
  fold(label)
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/[^a-z0-9-]/g, '?');

/** A label (or a hyphen-separated part of one) that reads as the service's name: within one edit (exact for short names). */
function resembles(part: string, name: string): boolean {
  if (part.replace(/\?/g, '').length < 2) return false; // nothing legible to compare
  return editDistance(part, name, 1) <= (name.length >= 5 ? 1 : 0);
}

/**
 * An address (`folded`: as foldAddress reads it) that reads as the service's (`domain`, its registrable domain)
 * without being at it or below it:
 * the domain once folded (`\u200B`, fullwidth, `%2E`), confusable or accented letters, `xn--`, one letter off,
 * the name under another domain (`example.org`) or as an extra label (`example.com.evil.io`, `example-mail.io`).
 */
function impersonatesDomain(email: string, folded: string, domain: string): boolean {
  const at = email.lastIndexOf('@');
  if (isPlainAddress(email) && isAtOrBelow(email.slice(at + 1).toLowerCase(), domain)) return false;
  const host = folded.slice(folded.lastIndexOf('@') + 1);
  const normal = normalizeHost(host);
  if (normal && isAtOrBelow(normal, domain)) return true;
  const name = loose(unicodeLabels(domain)[0]!);
  return unicodeLabels(host).some((label) =>
    [label, ...label.split(/[-_]+/)].some((part) => resembles(loose(part), name)),
  );
}

/**
 * A sender that claims to be TikTok in its name or address while the address is not TikTok's, or (with the service's
 * notification senders) whose address reads as the service's own domain without being it.
 */
export function isImpersonating(sender: Sender, service: ServiceSenders = NO_SERVICE_SENDERS): boolean {
  if (isGenuineSender(sender.email, service)) return false;
  const folded = foldAddress(sender.email);
  const at = folded.lastIndexOf('@');
  const local = at > 0 ? folded.slice(0, at) : folded;
  const domain = at >= 0 ? folded.slice(at + 1) : '';
  return (
    // an address that is TikTok's only once folded (`tiktok\u200B.com`, `ｔｉｋｔｏｋ.com`, `tiktok%2Ecom`)
    isUnderDomains(domain, TIKTOK_SENDER_DOMAINS) ||
    claimsTikTok(sender.name) ||
    claimsTikTok(local) ||
    domainClaimsTikTok(domain) ||
    (!!service.domain && impersonatesDomain(sender.email, folded, service.domain))
  );
}
