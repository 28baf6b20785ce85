/**
 * The extension on a real deployment (API 1.1), the pure parts: which actions a link's capabilities allow and the
 * reason shown otherwise, `not_supported` never retried (kept as a draft with its TikTok page), follower activity
 * counted from `ref.count`, only TikTok's own pages as fallbacks, and the invite email's Gmail compose URL.
 */
import { describe, expect, it } from 'vitest';
import { serviceLine } from '@/components/ServiceAbout';
import { createServiceClient } from '@/utils/api/client';
import { inviteComposeUrl } from '@/entrypoints/background/ads';
import { advance } from '@/entrypoints/background/events-state';
import { planNotifications } from '@/entrypoints/background/notifications';
import { createEntry, isTransient, markFailed } from '@/entrypoints/background/outbox-machine';
import { offReason } from '@/entrypoints/gmail.content/ui/capability';
import { SERVICE_INFO_V1, type Authorization, type Event } from '@/utils/api/schemas';
import { DEFAULT_SETTINGS } from '@/utils/storage/settings';
import { draftFallbackUrl, fallbackUrlOf, isTikTokPageUrl } from '@/utils/tiktok-urls';

describe('capabilities choose the action', () => {
  it('a 1.0 link (no follow field) and unknown capabilities allow everything', () => {
    expect(offReason(null, 'follow')).toBeNull();
    expect(offReason({ messages: true, comments: true }, 'follow')).toBeNull();
    expect(offReason({ messages: true, comments: true, follow: true }, 'messages')).toBeNull();
  });

  it('an action that is off says why: its own reason, else the 1.0 reason (not for follow), else our sentence', () => {
    const caps = {
      messages: false,
      comments: false,
      follow: false,
      reason: 'Business Accounts only.',
      reasons: { follow: 'TikTok does not let apps follow.' },
    };
    expect(offReason(caps, 'follow')).toBe('TikTok does not let apps follow.');
    expect(offReason(caps, 'messages')).toBe('Business Accounts only.');
    expect(offReason({ messages: true, comments: true, follow: false }, 'follow')).toBe('inline_cap_follow_off');
    expect(offReason({ messages: false, comments: true, reasons: { messages: '  ' } }, 'messages')).toBe(
      'inline_cap_messages_off',
    );
  });
});

describe('not_supported', () => {
  const entry = createEntry({
    entry_id: 'e1',
    idempotency_key: 'k',
    gmail: 'me@gmail.com',
    target: { kind: 'message', username: 'sam', conversation_id: 'c1' },
    text: 'hi',
    now: 0,
  });

  it('is never retried, even though it is HTTP 501: the reply becomes a draft with the reason and its TikTok page', () => {
    expect(isTransient({ code: 'not_supported', message: 'no', status: 501 })).toBe(false);
    expect(isTransient({ code: 'internal_error', message: 'x', status: 500 })).toBe(true);
    const draft = markFailed(
      { ...entry, status: 'sending', attempts: 1 },
      { code: 'not_supported', message: 'Business Accounts only.', status: 501 },
      1000,
    );
    expect(draft).toMatchObject({
      status: 'draft',
      text: 'hi',
      next_attempt_at: null,
      error: { code: 'not_supported', message: 'Business Accounts only.' },
    });
    expect(draftFallbackUrl(draft)).toBe('https://www.tiktok.com/messages');
    const withUrl = markFailed(
      entry,
      { code: 'not_supported', message: 'no', fallback_url: 'https://www.tiktok.com/@sam' },
      1000,
    );
    expect(draftFallbackUrl(withUrl)).toBe('https://www.tiktok.com/@sam');
    expect(draftFallbackUrl(markFailed(entry, { code: 'text_too_long', message: 'long' }, 1000))).toBeNull();
  });

  it('opens only TikTok pages as fallbacks', () => {
    for (const good of [
      'https://www.tiktok.com/@sam',
      'https://ads.tiktok.com/i18n/authorization/review?x=1',
      'https://business.tiktok.com/x',
    ])
      expect(isTikTokPageUrl(good)).toBe(true);
    for (const bad of [
      'http://www.tiktok.com/@sam',
      'https://www.tiktok.com.evil.com/',
      'https://evil.com/?www.tiktok.com',
      'https://user:pw@www.tiktok.com/',
      'https://www.tiktok.com:8443/',
      'javascript:alert(1)',
      'https://tiktok.com/',
      42,
      null,
    ]) {
      expect(isTikTokPageUrl(bad)).toBe(false);
    }
    expect(fallbackUrlOf({ fallback_url: 'https://evil.com/' })).toBeUndefined();
    expect(fallbackUrlOf({ fallback_url: 'https://www.tiktok.com/@x' })).toBe('https://www.tiktok.com/@x');
    expect(fallbackUrlOf(undefined)).toBeUndefined();
  });
});

describe('follower activity as counts', () => {
  const event = (id: string, ref: Event['ref'], type: Event['type'] = 'follower.new'): Event => ({
    event_id: id,
    type,
    link_id: 'l',
    at: '2026-01-01T00:00:00Z',
    summary: '3 new followers',
    ref,
  });

  it('counts ref.count followers (one event, "3 new followers"), one per event without it', () => {
    const state = advance(
      { cursor: null, seen: [], unread: { messages: 0, comments: 0, followers: 0, ads: 0 } },
      [event('a', { count: 3 }), event('b', { username: 'sam' })],
      'c',
    );
    expect(state.unread.followers).toBe(4);
  });

  it('notifies a counted event with the count in the title', () => {
    const [counted, named] = planNotifications(
      'me@gmail.com',
      [event('a', { count: 3 }), event('b', { username: 'sam' })],
      DEFAULT_SETTINGS.notifications,
      new Date(),
    );
    expect(counted).toMatchObject({ title: 'notif_followers_count_title', message: '3 new followers' });
    expect(named).toMatchObject({ title: 'notif_follower_title' });
  });
});

describe('Email it from Gmail', () => {
  const a: Authorization = {
    authorization_id: 'auth_1',
    advertiser: { advertiser_id: 'adv', name: 'Acme & Co' },
    tiktok: { username: 'maya.creates', display_name: 'Maya', account_type: 'business' },
    status: 'pending',
    permissions: { requested: ['spark_ads'], granted: [] },
    requested_at: '2026-01-01T00:00:00Z',
    decided_at: null,
    expires_at: '2026-01-08T00:00:00Z',
    invite_url: 'https://ads.tiktok.com/i18n/authorization/review?authorization_id=auth_1',
  };

  it("opens Gmail's compose window of that account (by index, or by address when no tab shows it)", () => {
    const byIndex = new URL(inviteComposeUrl(a, { index: 2 }));
    expect(byIndex.origin + byIndex.pathname).toBe('https://mail.google.com/mail/u/2/');
    expect(byIndex.searchParams.get('view')).toBe('cm');
    expect(byIndex.searchParams.get('fs')).toBe('1');
    expect(byIndex.searchParams.get('su')).toBeTruthy();
    expect(byIndex.searchParams.has('to')).toBe(false); // the user types the owner's address
    const byAddress = new URL(inviteComposeUrl(a, { gmail: 'me@gmail.com' }));
    expect(byAddress.pathname).toBe('/mail/');
    expect(byAddress.searchParams.get('authuser')).toBe('me@gmail.com');
  });
});

describe('a 1.0 service (no GET /v1/service)', () => {
  const serverAnswering = (status: number, body: string) =>
    createServiceClient({
      baseUrl: 'https://svc.example',
      maxRetries: 0,
      fetch: async () => new Response(body, { status, headers: { 'content-type': 'text/html' } }),
    });

  it('reads as everything on, whatever its 404 looks like; the popup line lists nothing missing', async () => {
    const envelope404 = JSON.stringify({ data: null, error: { code: 'not_found', message: 'no route', log_id: 'x' } });
    for (const [status, body] of [
      [404, envelope404],
      [404, '<h1>Not Found</h1>'],
      [405, ''],
    ] as const) {
      expect(await serverAnswering(status, body).service()).toEqual(SERVICE_INFO_V1);
    }
    expect(serviceLine(SERVICE_INFO_V1, false)).toBe('popup_service_about');
    await expect(serverAnswering(500, 'oops').service()).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('its links (no follow field) allow Follow back', () => {
    expect(offReason({ messages: true, comments: true, reason: 'ignored' }, 'follow')).toBeNull();
  });
});
