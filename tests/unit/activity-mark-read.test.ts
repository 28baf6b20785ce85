/**
 * Opening a TikTok email in Gmail marks its kind read: which unread counter each email kind reads, once per message,
 * batched, retried when the worker refuses (tab not reported yet); rows and other kinds never count.
 * And where the popup's Open leads: the Gmail search for that kind's TikTok mail.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMAIL_KINDS } from '@/utils/detect/kinds';
import type { Detected, EmailKind } from '@/entrypoints/gmail.content/detected';
import {
  BATCH_MS,
  GESTURE_MS,
  MAX_TRIES,
  startMarkingRead,
  trackGestures,
  unreadKindOfEmail,
  type Gesture,
  type UnreadKind,
} from '@/entrypoints/gmail.content/features/mark-read';
import { activitySearchUrl, SEARCH_PHRASES } from '@/entrypoints/background/activity';
import { classifyEmail } from '@/utils/detect';

describe('unreadKindOfEmail', () => {
  it('maps each email kind to the counter it reads', () => {
    const mapped = Object.fromEntries(EMAIL_KINDS.map((k) => [k, unreadKindOfEmail(k)]));
    expect(mapped).toEqual({
      code: null,
      security: null,
      message: 'messages',
      comment: 'comments',
      mention: 'comments',
      follower: 'followers',
      like: null,
      live: null,
      ads: 'ads',
      shop: null,
      other: null,
    });
  });
});

/** An open TikTok message (or row) as the detector publishes it. */
const detected = (key: string, kind: EmailKind, scope: Detected['scope'] = 'message'): Detected => ({
  scope,
  element: document.createElement('div'),
  key,
  kind,
  impostor: false,
  sender: { email: 'notification@service.tiktok.com', name: 'TikTok' },
  subject: 's',
  facts: { tiktok_links: [] },
});

describe('startMarkingRead', () => {
  let listener: (d: Detected) => void;
  let sent: UnreadKind[][];
  let answer: () => { ok: boolean };
  let stop: () => void;
  let gesture: Gesture | null;
  let seq = 0;
  /** The user's own click or key (a trusted event) just now. */
  const userActs = () => (gesture = { at: Date.now(), seq: ++seq });

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    answer = () => ({ ok: true });
    gesture = null;
    stop = startMarkingRead({
      gesture: () => gesture,
      now: () => Date.now(),
      send: async (_name, { kinds }) => {
        sent.push([...kinds].sort());
        return answer();
      },
      subscribe: (l) => {
        listener = l;
        return () => undefined;
      },
    });
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  /** A message the user opened with their own click or key. */
  const opened = (key: string, kind: EmailKind) => {
    userActs();
    listener(detected(key, kind));
  };

  it('sends the kinds of messages opened together in one markRead, each message once', async () => {
    opened('m1', 'message');
    opened('m2', 'mention');
    opened('m3', 'comment');
    opened('m4', 'like');
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    expect(sent).toEqual([['comments', 'messages']]);

    // Gmail re-renders the same message (same key): not counted again.
    opened('m1', 'message');
    await vi.advanceTimersByTimeAsync(BATCH_MS * 2);
    expect(sent).toHaveLength(1);

    opened('f1', 'follower');
    opened('a1', 'ads');
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    expect(sent).toEqual([
      ['comments', 'messages'],
      ['ads', 'followers'],
    ]);
  });

  it('ignores list rows and impostors', async () => {
    userActs();
    listener(detected('r1', 'message', 'row'));
    listener({ ...detected('x1', 'message'), impostor: true } as unknown as Detected);
    await vi.advanceTimersByTimeAsync(BATCH_MS * 3);
    expect(sent).toEqual([]);
  });

  it('tries again while the worker refuses, then stops after MAX_TRIES', async () => {
    answer = () => ({ ok: false });
    opened('m1', 'message');
    await vi.advanceTimersByTimeAsync(BATCH_MS);
    expect(sent).toHaveLength(1);
    answer = () => ({ ok: true });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual([['messages'], ['messages']]);

    answer = () => ({ ok: false });
    opened('m2', 'follower');
    await vi.advanceTimersByTimeAsync(120_000);
    expect(sent.slice(2)).toHaveLength(MAX_TRIES);
  });
});

describe('startMarkingRead: forged open messages (the page may be hostile)', () => {
  const KINDS: EmailKind[] = ['message', 'comment', 'mention', 'follower', 'ads'];
  let listener: (d: Detected) => void;
  let sent: UnreadKind[][];
  let stop: () => void;
  const forged = (n: number): Detected[] =>
    Array.from({ length: n }, (_, i) => detected(`forged-${n}-${i}`, KINDS[i % KINDS.length]!));

  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
  });
  afterEach(() => {
    stop();
    vi.useRealTimers();
  });

  function start(gesture: () => Gesture | null) {
    stop = startMarkingRead({
      send: async (_name, { kinds }) => (sent.push([...kinds].sort()), { ok: true }),
      subscribe: (l) => ((listener = l), () => undefined),
      gesture,
      now: () => Date.now(),
    });
  }

  it('with no click or key of the user, 50 forged open messages of every kind clear nothing', async () => {
    start(() => null);
    for (const d of forged(50)) listener(d);
    await vi.advanceTimersByTimeAsync(BATCH_MS * 4);
    expect(sent).toEqual([]);
  });

  it('synthetic clicks and keys of the page are no user action (only trusted events count)', async () => {
    const doc = document.implementation.createHTMLDocument('gmail');
    start(trackGestures(doc));
    for (const type of ['pointerdown', 'keydown', 'click', 'mousedown'])
      doc.body.dispatchEvent(new Event(type, { bubbles: true }));
    doc.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    for (const d of forged(50)) listener(d);
    await vi.advanceTimersByTimeAsync(BATCH_MS * 4);
    expect(sent).toEqual([]);
  });

  it('the bound: after one real action, 50 forged messages of 5 kinds clear one kind at most; an action 10 s old clears none', async () => {
    const at = Date.now();
    start(() => ({ at, seq: 1 }));
    for (const d of forged(50)) listener(d);
    await vi.advanceTimersByTimeAsync(BATCH_MS * 4);
    expect(sent.flat()).toEqual(['messages']);
    await vi.advanceTimersByTimeAsync(GESTURE_MS);
    for (const d of forged(40)) listener(d);
    await vi.advanceTimersByTimeAsync(BATCH_MS * 4);
    expect(sent.flat()).toEqual(['messages']);
  });
});

describe('activitySearchUrl', () => {
  it('searches the TikTok mail of that kind in the account of the Gmail tab, or by address', () => {
    const messages = new URL(activitySearchUrl('messages', { index: 1 }));
    expect(messages.origin + messages.pathname).toBe('https://mail.google.com/mail/u/1/');
    expect(searchOf(messages)).toMatch(
      /^from:\(tiktok\.com\) \("sent you a message" OR "te envió un mensaje" OR .* OR "给你发了消息"\)$/,
    );
    const followers = new URL(activitySearchUrl('followers', { gmail: 'me@gmail.com' }));
    expect(followers.origin + followers.pathname + followers.search).toBe(
      'https://mail.google.com/mail/?authuser=me%40gmail.com',
    );
    expect(searchOf(followers)).toContain('"started following you" OR "comenzó a seguirte"');
  });

  it.each(Object.entries(SEARCH_PHRASES))(
    'every %s phrase is one the detector files under that kind',
    (kind, phrases) => {
      const expected = { messages: ['message'], comments: ['comment', 'mention'], followers: ['follower'] }[kind]!;
      // In TikTok's subject templates: `{name} (@handle) {phrase}` at the end, or `@handle {phrase}: "…"` (comments).
      for (const phrase of phrases) {
        const kinds = [`Maya K (@maya.k) ${phrase}`, `@maya.k ${phrase}: "so good"`].map((subject) => {
          const found = classifyEmail({ email: 'notification@service.tiktok.com', name: 'TikTok' }, { subject });
          return found.tiktok ? found.kind : 'not TikTok';
        });
        expect(
          kinds.find((k) => expected.includes(k)),
          `${phrase}: ${kinds.join(', ')}`,
        ).toBeDefined();
      }
    },
  );
});

/** The Gmail search of a `#search/<query>` URL, as Gmail reads it ('+' is a space). */
function searchOf(url: URL): string {
  return decodeURIComponent(url.hash.replace(/^#search\//, '').replace(/\+/g, ' '));
}
