/**
 * The toolbar badge: the number of unread TikTok updates over every linked Gmail address, or "!" when a link needs
 * re-authorization or the service is unreachable (the title says which; the popup offers the fix).
 */
import browser from 'webextension-polyfill';
import type { Unread } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { normaliseGmail } from '@/utils/gmail-address';
import { eventsStateItem, healthItem, sumUnread, type LinkHealth } from './events-state';
import { sessionGmails } from './service';

const ALERT_COLOR = '#d93025';
const COUNT_COLOR = '#fe2c55';

export async function totalUnread(): Promise<Unread> {
  const gmails = await sessionGmails();
  return sumUnread(await Promise.all(gmails.map(async (g) => (await eventsStateItem(g).get()).unread)));
}

export async function setLinkHealth(gmail: string, health: LinkHealth): Promise<void> {
  const key = normaliseGmail(gmail);
  await healthItem.update(({ [key]: _old, ...rest }) => (health === 'ok' ? rest : { ...rest, [key]: health }));
}

export async function renderBadge(): Promise<void> {
  const linked = new Set(await sessionGmails());
  const problems = Object.entries(await healthItem.get()).filter(([gmail, h]) => linked.has(gmail) && h !== 'ok');
  if (problems.length) {
    const reauth = problems.some(([, h]) => h === 'reauth_required');
    await browser.action.setBadgeBackgroundColor({ color: ALERT_COLOR });
    await browser.action.setBadgeText({ text: '!' });
    await browser.action.setTitle({ title: t(reauth ? 'notif_badge_reauth' : 'notif_badge_unreachable') });
    return;
  }
  const u = await totalUnread();
  const count = u.messages + u.comments + u.followers + u.ads;
  await browser.action.setBadgeBackgroundColor({ color: COUNT_COLOR });
  await browser.action.setBadgeText({ text: count === 0 ? '' : count > 99 ? '99+' : String(count) });
  await browser.action.setTitle({ title: count === 0 ? t('extName') : t('notif_badge_unread', count) });
}

export async function clearBadge(): Promise<void> {
  await browser.action.setBadgeText({ text: '' });
  await browser.action.setTitle({ title: t('extName') });
}
