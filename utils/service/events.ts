/**
 * The events feed: what happened on the Gmail user's links, oldest first, with a cursor (the store's `seq`) that
 * always points after the last event seen, and the unread counts of the user's active links.
 */
import type { Unread } from '../api/schemas';
import { type Ctx, cursorOf, iso, limitOf, newId, type Ports, route, type Route, sessionGmail } from './context';
import type { EventRecord, Store } from './ports';

export function eventView(e: EventRecord) {
  return {
    event_id: e.event_id,
    type: e.type,
    link_id: e.link_id,
    at: iso(e.at),
    summary: e.summary,
    ref: { ...e.ref },
  };
}
export type EventView = ReturnType<typeof eventView>;

/** Appends an event (on `store`, which may be a transaction). */
export function addEvent(
  ports: Pick<Ports, 'random' | 'clock'>,
  store: Store,
  e: Omit<EventRecord, 'seq' | 'event_id' | 'at'>,
): Promise<EventRecord> {
  return store.events.append({ ...e, event_id: newId(ports, 'evt'), at: ports.clock.now() });
}

/** Unread counts of the Gmail user's active links (Ads: pending requests addressed to them). */
export async function unreadFor(store: Store, gmail: string): Promise<Unread> {
  const links = await store.links.find({ gmail, status: 'active' });
  const openIds = links.map((l) => l.tiktok.open_id);
  const rows = openIds.length ? await store.unread.list(openIds) : [];
  const sum = (kind: string) => rows.filter((r) => r.kind === kind).reduce((n, r) => n + r.count, 0);
  let ads = 0;
  for (const l of links)
    ads += (await store.authorizations.find({ username: l.tiktok.username, status: 'pending' })).length;
  return { messages: sum('messages'), comments: sum('comments'), followers: sum('followers'), ads };
}

async function events(ctx: Ctx) {
  const gmail = await sessionGmail(ctx);
  const limit = limitOf(ctx);
  const after = cursorOf(ctx);
  const found = await ctx.store.events.after(gmail, after, limit + 1);
  const items = found.slice(0, limit);
  const last = items[items.length - 1];
  const cursor = last ? String(last.seq) : ctx.url.searchParams.get('cursor') || '0';
  return {
    items: items.map(eventView),
    cursor,
    has_more: found.length > limit,
    unread: await unreadFor(ctx.store, gmail),
  };
}

export const eventRoutes: Route[] = [route('GET', '/v1/events', events)];
