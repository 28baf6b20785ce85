/**
 * All UI text goes through the browser's i18n (`public/_locales/<lang>/messages.json`), so the popup, options and
 * the inline Gmail UI follow the browser language. Keys are checked at compile time against the English file.
 */
import browser from 'webextension-polyfill';

export type MessageKey = keyof typeof import('../public/_locales/en/messages.json');

export function t(key: MessageKey, substitutions?: string | number | (string | number)[]): string {
  const subs = substitutions === undefined ? undefined : (Array.isArray(substitutions) ? substitutions : [substitutions]).map(String);
  try {
    return browser.i18n.getMessage(key, subs) || key;
  } catch {
    return key; // unit tests without i18n
  }
}
