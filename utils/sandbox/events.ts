/** The events feed: what happened on the Gmail user's links, oldest first, with a cursor and unread counts. */
import type { Unread } from '../api/schemas';
import { SandboxError, route, sessionGmail, type Ctx, type Route } from './context';
import { iso, nextId, type EventRec, type SandboxState } from './state';

const EVENTS_MAX = 2000;

export function addEvent(ctx: Ctx, e: Omit<EventRec, 'seq' | 'event_id' | 'at'>): EventRec {
  const event_id = nextId(ctx.state, 'evt'); // advances state.seq: events are ordered by it
  const rec: EventRec = { ...e, seq: ctx.state.seq, event_id, at: ctx.now };
  ctx.state.events.push(rec);
  if (ctx.state.events.length > EVENTS_MAX) ctx.state.events.splice(0, ctx.state.events.length - EVENTS_MAX);
  return rec;
}

export function eventView(e: EventRec) {
  return { event_id: e.event_id, type: e.type, link_id: e.link_id, at: iso(e.at), summary: e.summary, ref: { ...e.ref } };
}

/** TikTok usernames of the Gmail user's usable links. */
export function linkedUsernames(state: SandboxState, gmail: string): Set<string> {
  return new Set(Object.values(state.links).filter((l) => l.gmail === gmail && l.status === 'active').map((l) => l.username));
}

export function unreadFor(state: SandboxState, gmail: string): Unread {
  const mine = linkedUsernames(state, gmail);
  return {
    messages: Object.values(state.conversations).reduce((n, c) => n + (mine.has(c.owner) ? c.unread_count : 0), 0),
    comments: Object.values(state.comments).filter((c) => mine.has(c.owner) && c.unread).length,
    followers: state.follows.filter((f) => mine.has(f.username) && f.unread).length,
    ads: Object.values(state.authorizations).filter((a) => mine.has(a.username) && a.status === 'pending').length,
  };
}

function events(ctx: Ctx) {
  const gmail = sessionGmail(ctx);
  const raw = ctx.url.searchParams.get('limit');
  const limit = raw === null || raw === '' ? 20 : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new SandboxError('invalid_params', 'limit must be an integer from 1 to 100.', { details: { field: 'limit' } });
  const c = ctx.url.searchParams.get('cursor');
  const after = c ? Number(c) : 0;
  if (!Number.isInteger(after) || after < 0) throw new SandboxError('invalid_params', 'Unknown cursor.', { details: { field: 'cursor' } });
  const mine = ctx.state.events.filter((e) => e.gmail === gmail && e.seq > after);
  const items = mine.slice(0, limit);
  const last = items[items.length - 1];
  // The cursor always points after the last event seen, so a poller can keep passing it even when nothing is new.
  return { items: items.map(eventView), cursor: last ? String(last.seq) : c || '0', has_more: mine.length > limit, unread: unreadFor(ctx.state, gmail) };
}

export const eventRoutes: Route[] = [route('GET', '/v1/events', events)];
