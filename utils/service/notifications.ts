/**
 * Which activity the service emails to the linked Gmail address, per link (our addition to API 1.1, docs/server.md):
 * the settings (`Link.notifications`, defaults: direct messages and comments on, the rest off), `PATCH
 * /v1/links/{id}/notifications` with some of them, and the rule that says which kind of setting an event falls
 * under (the route is links.ts'). Deployments that email activity (the server, server/notify/) follow these rules; the
 * sandbox keeps and shows the settings (its mailbox stands for TikTok's own emails, which they do not turn off).
 */
import {
  NOTIFICATION_KINDS,
  NotificationSettingsPatch,
  type NotificationKind,
  type NotificationSettings,
} from '../api/schemas';
import { invalidField } from './errors';
import type { EventType, LinkRecord, Store } from './ports';

const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  messages: true,
  comments: true,
  mentions: false,
  followers: false,
  ads: false,
};

/** The link's settings, the defaults filled in. */
export const notificationSettings = (l: Pick<LinkRecord, 'notifications'>): NotificationSettings => ({
  ...DEFAULT_NOTIFICATIONS,
  ...l.notifications,
});

const KIND_OF_EVENT: Partial<Record<EventType, NotificationKind>> = {
  'message.received': 'messages',
  'comment.received': 'comments',
  'follower.new': 'followers',
  'ads_request.received': 'ads',
  'ads_authorization.status_changed': 'ads',
};

/** The kind of setting an event of `type` falls under (`mention`: a comment that mentions the account), or null when no event of that type is emailed. */
export function notificationKindOf(type: EventType, mention = false): NotificationKind | null {
  const kind = KIND_OF_EVENT[type] ?? null;
  return kind === 'comments' && mention ? 'mentions' : kind;
}

/** The body as a partial settings object, or `invalid_params` naming the first key that is unknown or not a boolean. */
export function parseNotificationsPatch(body: unknown): Partial<NotificationSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalidField(
      'body',
      `The body must be an object with some of ${NOTIFICATION_KINDS.join(', ')} set to true or false.`,
    );
  for (const [key, value] of Object.entries(body)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(key))
      throw invalidField(key, `Unknown notification kind "${key.slice(0, 40)}": use ${NOTIFICATION_KINDS.join(', ')}.`);
    if (typeof value !== 'boolean') throw invalidField(key, `${key} must be true or false.`);
  }
  return NotificationSettingsPatch.parse(body);
}

/** Turns the given kinds on or off for a link (the row locked meanwhile); null when the link is gone or unlinked. */
export function changeNotifications(
  store: Store,
  link_id: string,
  patch: Partial<NotificationSettings>,
): Promise<LinkRecord | null> {
  return store.transaction(async (tx) => {
    const current = await tx.links.get(link_id, { lock: true });
    if (!current || current.status === 'revoked') return null;
    const updated: LinkRecord = { ...current, notifications: { ...notificationSettings(current), ...patch } };
    await tx.links.put(updated);
    return updated;
  });
}
