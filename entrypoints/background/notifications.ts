/**
 * Desktop notifications for new TikTok activity, and where a click on one leads: the matching Gmail conversation
 * when a Gmail tab of that account is known, else the TikTok page built from the username (https://www.tiktok.com
 * only), else the right section of the extension.
 *
 * A click also marks what it announced as read (the badge count drops).
 *
 * Notification ids are derived from event ids, so showing the same event again replaces the notification instead of
 * adding a second one (the poller notifies before it saves its cursor: a worker stopped in between never skips one).
 */
import browser from 'webextension-polyfill';
import { z } from 'zod';
import type { Event } from '@/utils/api/schemas';
import { t, type MessageKey } from '@/utils/i18n';
import type { Settings } from '@/utils/storage/settings';
import { vaultItem } from '@/utils/storage/vault';
import { cleanUsername, MESSAGES_URL, profileUrl } from '@/utils/tiktok-urls';
import { renderBadge } from './badge';
import { eventsStateItem, inQuietHours, markKindsRead, unreadKindOf, type UnreadKind } from './events-state';
import { extensionPageUrl } from './extension-pages';
import { tabShowing } from './gmail-tabs';

/** More new events than this in one poll become one grouped notification. */
export const GROUP_OVER = 3;
const ROUTES_MAX = 200;

const Route = z.object({
  gmail: z.string(),
  kind: z.enum(['messages', 'comments', 'followers', 'ads', 'group']),
  type: z.string().optional(),
  username: z.string().optional(),
  authorization_id: z.string().optional(),
});
type Route = z.infer<typeof Route>;
const routesItem = vaultItem('notification-routes', z.record(z.string(), Route), () => ({}));

const TITLE: Record<UnreadKind, MessageKey> = {
  messages: 'notif_message_title',
  comments: 'notif_comment_title',
  followers: 'notif_follower_title',
  ads: 'notif_ads_title',
};

/** A counted event (API 1.1 `ref.count`, real TikTok's follower activity without names): "3 new TikTok followers". */
const COUNT_TITLE: Record<UnreadKind, MessageKey> = {
  messages: 'notif_messages_count_title',
  comments: 'notif_comments_count_title',
  followers: 'notif_followers_count_title',
  ads: 'notif_group_title',
};

export interface PlannedNotification {
  id: string;
  title: string;
  message: string;
  route: Route;
}

/** Which notifications a poll's new events produce under the user's settings (pure). */
export function planNotifications(
  gmail: string,
  events: readonly Event[],
  prefs: Settings['notifications'],
  now: Date,
): PlannedNotification[] {
  if (inQuietHours(prefs.quiet_hours, now)) return [];
  const wanted = events.flatMap((e) => {
    const kind = unreadKindOf(e.type);
    return kind && prefs.kinds.includes(kind) ? [{ e, kind }] : [];
  });
  if (wanted.length > GROUP_OVER) {
    return [
      {
        id: `ttg:group:${gmail}:${wanted[0]!.e.event_id}`,
        title: t('notif_group_title', wanted.length),
        message: wanted
          .slice(0, GROUP_OVER)
          .map(({ e }) => e.summary)
          .join('\n'),
        route: { gmail, kind: 'group' },
      },
    ];
  }
  return wanted.map(({ e, kind }) => ({
    id: `ttg:${gmail}:${e.event_id}`,
    title: (e.ref.count ?? 1) > 1 ? t(COUNT_TITLE[kind], e.ref.count!) : t(TITLE[kind]),
    message: e.summary,
    route: { gmail, kind, type: e.type, username: e.ref.username, authorization_id: e.ref.authorization_id },
  }));
}

export async function showNotifications(planned: readonly PlannedNotification[]): Promise<void> {
  if (!planned.length) return;
  await routesItem.update((routes) => {
    const next = { ...routes, ...Object.fromEntries(planned.map((p) => [p.id, p.route])) };
    const ids = Object.keys(next);
    return ids.length > ROUTES_MAX ? Object.fromEntries(ids.slice(-ROUTES_MAX).map((id) => [id, next[id]!])) : next;
  });
  for (const p of planned) {
    await browser.notifications.create(p.id, {
      type: 'basic',
      iconUrl: browser.runtime.getURL('/icon/128.png'),
      title: p.title,
      message: p.message,
    });
  }
}

const gmailSearchUrl = (accountIndex: number, username?: string) => {
  const query = ['from:notification@service.tiktok.com', ...(username ? [username] : [])].join(' ');
  return `https://mail.google.com/mail/u/${accountIndex}/#search/${encodeURIComponent(query).replace(/%20/g, '+')}`;
};

/** Where a click on a notification leads (pure apart from looking up the Gmail tab). */
export async function destinationOf(route: Route): Promise<{ url: string; tabId?: number }> {
  const username = cleanUsername(route.username) ?? undefined;
  if (route.kind === 'ads') {
    // The page works for the Gmail address the notification is about (not whichever Gmail tab was active last).
    const gmail = route.gmail;
    return {
      url:
        route.type === 'ads_request.received' && route.authorization_id
          ? extensionPageUrl('review', { authorization_id: route.authorization_id, gmail })
          : extensionPageUrl('ads', { gmail }),
    };
  }
  const tab = await tabShowing(route.gmail);
  if (tab)
    return { url: gmailSearchUrl(tab.account_index, route.kind === 'group' ? undefined : username), tabId: tab.tabId };
  const tiktok = route.kind === 'messages' ? MESSAGES_URL : profileUrl(username);
  if (tiktok) return { url: tiktok };
  return { url: browser.runtime.getURL('/popup.html') };
}

async function onClicked(notificationId: string): Promise<void> {
  const route = (await routesItem.get())[notificationId];
  await browser.notifications.clear(notificationId);
  if (!route) return;
  // The user goes to read it: what the notification announced no longer counts as unread on the badge.
  const kinds: UnreadKind[] = route.kind === 'group' ? ['messages', 'comments', 'followers', 'ads'] : [route.kind];
  await eventsStateItem(route.gmail).update((state) => ({ ...state, unread: markKindsRead(state.unread, kinds) }));
  await renderBadge();
  const { url, tabId } = await destinationOf(route);
  if (tabId !== undefined) {
    try {
      const tab = await browser.tabs.update(tabId, { url, active: true });
      if (tab.windowId !== undefined) await browser.windows.update(tab.windowId, { focused: true });
      return;
    } catch {
      /* the tab is gone: open a new one */
    }
  }
  await browser.tabs.create({ url });
}

export function start(): void {
  browser.notifications.onClicked.addListener((id) => void onClicked(id));
}
