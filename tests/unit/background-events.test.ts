import { describe, expect, it } from 'vitest';
import type { Event } from '@/utils/api/schemas';
import {
  advance,
  freshEvents,
  inQuietHours,
  markKindsRead,
  NO_UNREAD,
  SEEN_MAX,
  type EventsState,
} from '@/entrypoints/background/events-state';
import { GROUP_OVER, planNotifications } from '@/entrypoints/background/notifications';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';

const ev = (id: string, type: Event['type'] = 'message.received', username = 'alice'): Event => ({
  event_id: id,
  type,
  link_id: 'l1',
  at: '2025-01-01T00:00:00Z',
  summary: `@${username} did ${type}`,
  ref: { username },
});
const empty = (): EventsState => ({ cursor: null, seen: [], unread: { ...NO_UNREAD } });
const prefs = DEFAULT_SETTINGS.notifications;
const noon = new Date(2025, 0, 1, 12, 0);

describe('events cursor', () => {
  it('handles each event once, even when the feed replays it', () => {
    const first = [ev('1'), ev('2', 'comment.received'), ev('3', 'follower.new')];
    const fresh1 = freshEvents(empty(), first);
    const s1 = advance(empty(), fresh1, 'c3');
    expect(s1.cursor).toBe('c3');
    expect(s1.unread).toEqual({ messages: 1, comments: 1, followers: 1, ads: 0 });
    // The worker was stopped before the next cursor was used: the same page comes back plus one new event.
    const fresh2 = freshEvents(s1, [...first, ev('4', 'ads_request.received')]);
    expect(fresh2.map((e) => e.event_id)).toEqual(['4']);
    const s2 = advance(s1, fresh2, null);
    expect(s2.cursor).toBe('c3');
    expect(s2.unread).toEqual({ messages: 1, comments: 1, followers: 1, ads: 1 });
  });

  it('dedupes inside one page and ignores kinds without a counter', () => {
    const fresh = freshEvents(empty(), [ev('1'), ev('1'), ev('2', 'like.received')]);
    expect(fresh.map((e) => e.event_id)).toEqual(['1', '2']);
    expect(advance(empty(), fresh, 'c').unread.messages).toBe(1);
  });

  it('keeps a bounded list of seen ids', () => {
    const many = Array.from({ length: SEEN_MAX + 10 }, (_, i) => ev(String(i)));
    expect(advance(empty(), many, 'c').seen).toHaveLength(SEEN_MAX);
  });

  it('markRead clears only the named kinds', () => {
    expect(markKindsRead({ messages: 2, comments: 3, followers: 1, ads: 4 }, ['messages', 'ads'])).toEqual({
      messages: 0,
      comments: 3,
      followers: 1,
      ads: 0,
    });
  });
});

describe('notification plan', () => {
  it('one notification per event with its summary, for enabled kinds only', () => {
    const planned = planNotifications(
      'me@gmail.com',
      [ev('1'), ev('2', 'follower.new', 'bob'), ev('3', 'like.received')],
      { ...prefs, kinds: ['messages'] },
      noon,
    );
    expect(planned).toHaveLength(1);
    expect(planned[0]).toMatchObject({
      id: 'ttg:me@gmail.com:1',
      message: '@alice did message.received',
      route: { kind: 'messages', username: 'alice' },
    });
  });

  it(`groups more than ${GROUP_OVER} events into one`, () => {
    const planned = planNotifications(
      'me@gmail.com',
      ['1', '2', '3', '4', '5'].map((id) => ev(id)),
      prefs,
      noon,
    );
    expect(planned).toHaveLength(1);
    expect(planned[0]!.route.kind).toBe('group');
    expect(planned[0]!.message.split('\n')).toHaveLength(GROUP_OVER);
  });

  it('stays silent in quiet hours, also across midnight', () => {
    const quiet = { ...prefs, quiet_hours: { enabled: true, start: '22:00', end: '07:00' } };
    expect(planNotifications('me@gmail.com', [ev('1')], quiet, new Date(2025, 0, 1, 23, 30))).toEqual([]);
    expect(planNotifications('me@gmail.com', [ev('1')], quiet, new Date(2025, 0, 1, 6, 59))).toEqual([]);
    expect(planNotifications('me@gmail.com', [ev('1')], quiet, noon)).toHaveLength(1);
    expect(inQuietHours({ enabled: true, start: '09:00', end: '17:00' }, noon)).toBe(true);
    expect(inQuietHours({ enabled: false, start: '09:00', end: '17:00' }, noon)).toBe(false);
  });
});
