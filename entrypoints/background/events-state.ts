/**
 * What the events poller keeps per Gmail address, in the vault: the feed cursor, the ids already handled (so no event
 * is shown twice even if the cursor is replayed), and the unread counts the badge shows. Plus link health.
 * The transitions are pure functions so they can be tested without a browser.
 */
import { z } from 'zod';
import { Unread, type Event } from '@/utils/api/schemas';
import { LinkHealth } from '@/utils/messaging/catalogue';
import { vaultItem } from '@/utils/storage/vault';
import { normaliseGmail } from '@/utils/gmail-address';

/** How many handled event ids are remembered per Gmail address (far more than one poll can bring). */
export const SEEN_MAX = 1000;
export const NO_UNREAD: Unread = { messages: 0, comments: 0, followers: 0, ads: 0 };
export type UnreadKind = keyof Unread;

export const EventsState = z.object({ cursor: z.string().nullable(), seen: z.array(z.string()), unread: Unread });
export type EventsState = z.infer<typeof EventsState>;
export const eventsStateItem = (gmail: string) =>
  vaultItem(`events:${normaliseGmail(gmail)}`, EventsState, () => ({
    cursor: null,
    seen: [],
    unread: { ...NO_UNREAD },
  }));

export type LinkHealth = z.infer<typeof LinkHealth>;
/** Last known health per Gmail address; absent means `ok`. */
export const healthItem = vaultItem('link-health', z.record(z.string(), LinkHealth), () => ({}));

/** Which unread counter (and which notification setting) an event belongs to, if any. */
export function unreadKindOf(type: Event['type']): UnreadKind | null {
  switch (type) {
    case 'message.received':
      return 'messages';
    case 'comment.received':
      return 'comments';
    case 'follower.new':
      return 'followers';
    case 'ads_request.received':
    case 'ads_authorization.status_changed':
      return 'ads';
    default:
      return null;
  }
}

/** The events not handled yet, in feed order, each once. */
export function freshEvents(state: EventsState, events: readonly Event[]): Event[] {
  const seen = new Set(state.seen);
  return events.filter((e) => !seen.has(e.event_id) && (seen.add(e.event_id), true));
}

/** The state after handling `fresh` and reading the feed up to `cursor`. */
export function advance(state: EventsState, fresh: readonly Event[], cursor: string | null): EventsState {
  const unread = { ...state.unread };
  for (const e of fresh) {
    const kind = unreadKindOf(e.type);
    if (kind) unread[kind] += e.ref.count ?? 1; // API 1.1: "3 new followers" without names is one event of count 3
  }
  return {
    cursor: cursor ?? state.cursor,
    seen: [...state.seen, ...fresh.map((e) => e.event_id)].slice(-SEEN_MAX),
    unread,
  };
}

export function markKindsRead(unread: Unread, kinds: readonly UnreadKind[]): Unread {
  const next = { ...unread };
  for (const k of kinds) next[k] = 0;
  return next;
}

export function sumUnread(all: readonly Unread[]): Unread {
  return all.reduce(
    (acc, u) => ({
      messages: acc.messages + u.messages,
      comments: acc.comments + u.comments,
      followers: acc.followers + u.followers,
      ads: acc.ads + u.ads,
    }),
    { ...NO_UNREAD },
  );
}

/** `HH:MM` local time inside the quiet hours (which may wrap past midnight)? */
export function inQuietHours(quiet: { enabled: boolean; start: string; end: string }, at: Date): boolean {
  if (!quiet.enabled) return false;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  const now = at.getHours() * 60 + at.getMinutes();
  const start = minutes(quiet.start);
  const end = minutes(quiet.end);
  if (start === end) return false;
  return start < end ? now >= start && now < end : now >= start || now < end;
}
