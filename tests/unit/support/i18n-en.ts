/**
 * `@/utils/i18n` for unit tests: `t` answers the English messages (public/_locales/en), with `$1`, `$2`... replaced by
 * the substitutions, so a test asserts the text a user reads. In a test file:
 *
 *   vi.mock('@/utils/i18n', () => import('./support/i18n-en'));
 */
import en from '@/public/_locales/en/messages.json';

export function t(key: keyof typeof en, subs?: string | number | (string | number)[]): string {
  const list = subs === undefined ? [] : Array.isArray(subs) ? subs : [subs];
  return en[key].message.replace(/\$(\d)/g, (_, n: string) => String(list[Number(n) - 1] ?? ''));
}

/** `tn` with English plural rules: `<key>_one` for 1, `<key>_other` otherwise. */
export function tn(key: string, n: number, more: (string | number)[] = []): string {
  return t(`${key}_${n === 1 ? 'one' : 'other'}` as keyof typeof en, [n, ...more]);
}
