/** Times shown in the inline UI, in the browser's language. */
import browser from 'webextension-polyfill';
import { t } from '@/utils/i18n';

const locale = () => {
  try {
    return browser.i18n.getUILanguage();
  } catch {
    return undefined;
  }
};

export function timeOfDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const sameDay = date.toDateString() === new Date().toDateString();
  return new Intl.DateTimeFormat(
    locale(),
    sameDay ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' },
  ).format(date);
}

/** "31 h 5 min left" / "12 min left" until `iso`, or null once it has passed. */
export function timeLeft(iso: string, now = Date.now()): string | null {
  const ms = new Date(iso).getTime() - now;
  if (!(ms > 0)) return null;
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  const hours = Math.floor(minutes / 60);
  return hours > 0 ? t('inline_time_left_hours', [hours, minutes % 60]) : t('inline_time_left_minutes', minutes);
}
