/**
 * Impostors: a display name or address that claims TikTok while the address is not TikTok's
 * (research/tiktok-emails.md §8: confusables, Levenshtein ≤ 1, "Tik Tok", lookalike domains, free-mail "TikTok").
 */
import { decodePunycodeLabel } from './punycode';
import { addressDomain, isTikTokAddress } from './senders';

/** Zero-width, joiners, bidi embeddings/overrides/isolates, soft hyphen, BOM. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF]/g;

/** Cyrillic, Greek and other letters that look like Latin ones (after lower-casing). */
const CONFUSABLES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', һ: 'h', і: 'i', ї: 'i', ј: 'j', к: 'k', ӏ: 'l', м: 'm', н: 'h', о: 'o', р: 'p',
  с: 'c', т: 't', у: 'y', х: 'x', ԁ: 'd', ԛ: 'q', ԝ: 'w', ѕ: 's', ɡ: 'g',
  α: 'a', β: 'b', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u', χ: 'x', ϲ: 'c',
  ı: 'i', ł: 'l', ĸ: 'k', ǀ: 'l', '0': 'o', '1': 'i', '|': 'l', '!': 'i', '3': 'e', '$': 's',
};

/** Lower-case Latin skeleton of a string: compatibility forms folded, accents, invisibles and separators removed. */
export function skeleton(text: string): string {
  const lowered = text.normalize('NFKC').replace(INVISIBLE, '').toLowerCase().normalize('NFD').replace(/\p{M}/gu, '');
  let out = '';
  for (const ch of lowered) out += CONFUSABLES[ch] ?? ch;
  return out.replace(/[^a-z]/g, '');
}

/** Levenshtein distance, stopping early once it exceeds `max`. */
export function editDistance(a: string, b: string, max = 2): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
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

function domainClaimsTikTok(domain: string): boolean {
  return domain.split('.').some((label) => {
    const unicode = decodePunycodeLabel(label);
    return unicode !== null && claimsTikTok(unicode);
  });
}

export interface Sender {
  email: string;
  name: string;
}

/** A sender that claims to be TikTok in its name or address while the address is not TikTok's. */
export function isImpersonating(sender: Sender): boolean {
  if (isTikTokAddress(sender.email)) return false;
  const at = sender.email.lastIndexOf('@');
  const local = at > 0 ? sender.email.slice(0, at) : sender.email;
  const domain = addressDomain(sender.email) ?? '';
  return claimsTikTok(sender.name) || claimsTikTok(local) || domainClaimsTikTok(domain);
}
