/**
 * Polls the service's events feed for every linked Gmail address: on an alarm (settings
 * `notifications.poll_minutes`), when the network comes back, and on `pollNow`. New events become unread counts on
 * the badge and desktop notifications; the cursor, the handled ids and the counts are saved in the vault in one
 * write, after the notifications are shown (their ids come from the event ids, so a replay replaces, never adds).
 */
import browser from 'webextension-polyfill';
import type { ServiceClient } from '@/utils/api/client';
import { isAppError } from '@/utils/api/errors';
import type { Event } from '@/utils/api/schemas';
import type { Handlers } from '@/utils/messaging/router';
import { readSettings, type Settings } from '@/utils/storage/settings';
import { allowedGmail, assertMayActFor } from './sender-policy';
import { renderBadge, setLinkHealth, totalUnread } from './badge';
import { advance, eventsStateItem, freshEvents, markKindsRead, type UnreadKind } from './events-state';
import { planNotifications, showNotifications } from './notifications';
import { linkOf, saveLink, serviceFor, sessionGmails } from './service';

export const POLL_ALARM = 'poll-events';
/** Pages read per poll at most; the rest comes on the next poll. */
const MAX_PAGES = 10;

/** Caches the link's new status; a link the service no longer knows is forgotten (never blocks the feed). */
async function refreshLink(gmail: string, client: ServiceClient, linkId: string): Promise<void> {
  try {
    await saveLink(gmail, await client.getLink(linkId));
  } catch (e) {
    if (!isAppError(e) || e.code !== 'not_found') throw e;
    if ((await linkOf(gmail))?.link_id === linkId) await saveLink(gmail, null);
  }
}

async function pollGmail(gmail: string, prefs: Settings['notifications']): Promise<void> {
  const item = eventsStateItem(gmail);
  const state = await item.get();
  let cursor = state.cursor;
  const fetched: Event[] = [];
  try {
    const client = await serviceFor(gmail);
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.events(cursor);
      fetched.push(...res.items);
      cursor = res.cursor ?? cursor;
      if (!res.has_more || !res.cursor) break;
    }
    const fresh = freshEvents(state, fetched);
    for (const e of fresh) if (e.type === 'link.status_changed') await refreshLink(gmail, client, e.link_id);
    await showNotifications(planNotifications(gmail, fresh, prefs, new Date()));
    await item.set(advance(state, fresh, cursor));
    await setLinkHealth(gmail, 'ok');
  } catch (e) {
    const code = isAppError(e) ? e.code : 'unreachable';
    if (code === 'reauth_required' || code === 'access_token_invalid') await setLinkHealth(gmail, 'reauth_required');
    else if (code === 'unreachable' || code === 'upstream_error' || code === 'internal_error')
      await setLinkHealth(gmail, 'unreachable');
    else console.warn('events poll failed', code);
  }
}

let polling: Promise<void> = Promise.resolve();

/** Polls every linked Gmail address, one poll at a time (so two triggers never handle the same events twice). */
export function pollAll(): Promise<void> {
  const next = polling.then(async () => {
    const prefs = (await readSettings()).notifications;
    for (const gmail of await sessionGmails()) await pollGmail(gmail, prefs);
    await renderBadge();
  });
  // A failed poll must not block the ones after it.
  polling = next.catch((e) => console.error('events poll failed', e));
  return next;
}

async function ensurePollAlarm(): Promise<void> {
  const minutes = (await readSettings()).notifications.poll_minutes;
  const alarm = await browser.alarms.get(POLL_ALARM);
  if (alarm?.periodInMinutes === minutes) return;
  await browser.alarms.create(POLL_ALARM, { periodInMinutes: minutes, delayInMinutes: minutes });
}

/** What the user read (in Gmail, the popup, a notification) no longer counts on the badge. */
export async function markReadFor(gmails: readonly string[], kinds: readonly UnreadKind[]): Promise<void> {
  for (const gmail of gmails)
    await eventsStateItem(gmail).update((s) => ({ ...s, unread: markKindsRead(s.unread, kinds) }));
  await renderBadge();
}

export const handlers: Handlers = {
  pollNow: async () => {
    await pollAll();
    return totalUnread();
  },
  markRead: async ({ kinds, gmail }, sender) => {
    if (gmail !== undefined) await assertMayActFor(sender, gmail);
    const only = gmail ?? (await allowedGmail(sender));
    await markReadFor(only !== null ? [only] : await sessionGmails(), kinds);
    return totalUnread();
  },
};

export function start(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === POLL_ALARM) void pollAll();
  });
  browser.runtime.onStartup.addListener(() => void ensurePollAlarm().then(renderBadge));
  browser.runtime.onInstalled.addListener(() => void ensurePollAlarm().then(renderBadge));
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'settings' in changes) void ensurePollAlarm();
  });
  self.addEventListener('online', () => void pollAll());
  void ensurePollAlarm();
}
