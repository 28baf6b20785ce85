/**
 * All UI text goes through the browser's i18n (`public/_locales/<lang>/messages.json`), so the popup, options and
 * the inline Gmail UI follow the browser language. Keys are checked at compile time against the English file.
 */
import browser from 'webextension-polyfill';

export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

export function t(key: MessageKey, substitutions?: string | number | (string | number)[]): string {
  const subs =
    substitutions === undefined
      ? undefined
      : (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  try {
    return browser.i18n.getMessage(key, subs) || key;
  } catch {
    return key; // unit tests without i18n
  }
}

/** Message keys that come in plural forms: `<key>_one` and `<key>_other` both exist. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Base}_one` ? (`${Base}_other` extends MessageKey ? Base : never) : never;
}[MessageKey];

function uiLanguage(): string {
  try {
    return browser.i18n.getUILanguage() || 'en';
  } catch {
    return 'en';
  }
}

/** A count in words with the plural form of the browser's language ("1 attempt left", "2 attempts left"); `$1` is `n`. */
export function tn(key: PluralKey, n: number, more: (string | number)[] = []): string {
  const form = new Intl.PluralRules(uiLanguage()).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}` as MessageKey, [n, ...more]);
}
