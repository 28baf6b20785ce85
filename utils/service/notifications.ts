/**
 * Which activity the service emails to the linked Gmail address, per link (our addition to API 1.1, docs/server.md):
 * the settings (`Link.notifications`, defaults: direct messages and comments on, the rest off), `PATCH
 * /v1/links/{id}/notifications` with some of them, and the rule that says which kind of setting an event falls
 * under (the route is links.ts'). Deployments that email activity (the server, server/notify/) follow these rules; the
 * sandbox keeps and shows the settings (its mailbox stands for TikTok's own emails, which they do not turn off).
 */
import { NOTIFICATION_KINDS, NotificationSettingsPatch, type NotificationKind, type NotificationSettings } from '../api/schemas';
import { invalidField } from './errors';
import type { EventType, LinkRecord } from './ports';

export const DEFAULT_NOTIFICATIONS: NotificationSettings = { messages: true, comments: true, mentions: false, followers: false, ads: false };

/** The link's settings, the defaults filled in. */
export const notificationSettings = (l: Pick<LinkRecord, 'notifications'>): NotificationSettings => ({ ...DEFAULT_NOTIFICATIONS, ...l.notifications });

/** The kind of setting an event of `type` falls under (`mention`: a comment that mentions the account), or null when no event of that type is emailed. */
export function notificationKindOf(type: EventType, mention = false): NotificationKind | null {
  switch (type) {
    case 'message.received':
      return 'messages';
    case 'comment.received':
      return mention ? 'mentions' : 'comments';
    case 'follower.new':
      return 'followers';
    case 'ads_request.received':
    case 'ads_authorization.status_changed':
      return 'ads';
    default:
      return null;
  }
}

/** The body as a partial settings object, or `invalid_params` naming the first key that is unknown or not a boolean. */
export function parseNotificationsPatch(body: unknown): Partial<NotificationSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw invalidField('body', `The body must be an object with some of ${NOTIFICATION_KINDS.join(', ')} set to true or false.`);
  for (const [key, value] of Object.entries(body)) {
    if (!(NOTIFICATION_KINDS as readonly string[]).includes(key)) throw invalidField(key, `Unknown notification kind "${key.slice(0, 40)}": use ${NOTIFICATION_KINDS.join(', ')}.`);
    if (typeof value !== 'boolean') throw invalidField(key, `${key} must be true or false.`);
  }
  return NotificationSettingsPatch.parse(body);
}
