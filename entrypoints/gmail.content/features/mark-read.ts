/**
 * Opening a genuine TikTok email in Gmail reads it: the worker's unread count of that kind (the toolbar badge) drops.
 *
 * Only opened messages count (hub scope 'message': expanded, in the visible view, never impostors), never list rows.
 * Each message key is counted once per page; messages that appear together (a conversation opened, a cached view
 * shown) go out as one `markRead` with every kind they name. A refused or unanswered call (the worker starting, this
 * tab's account report not stored yet) is tried again with a short backoff.
 *
 * The Gmail page may be compromised and can put forged "open TikTok messages" in the DOM at any time. So a message
 * counts as read only when the user's own click or key (a trusted event: a page script cannot make one) came at most
 * `GESTURE_MS` before it was detected, and one such action reads one kind at most (a thread is one kind). The bound of
 * what is left (docs/security.md): a forging page clears at most one kind per real click or key of the user in Gmail.
 */
import { send } from '@/utils/messaging';
import { startDelivery } from '../delivery';
import { subscribe as subscribeHub, type Detected, type EmailKind } from '../detected';
import { features } from '../feature-registry';

/** The worker's unread counters (`Unread` in utils/api/schemas.ts; plain strings here, no zod in the content script). */
export type UnreadKind = 'messages' | 'comments' | 'followers' | 'ads';

const UNREAD_OF: Partial<Record<EmailKind, UnreadKind>> = {
  message: 'messages',
  comment: 'comments',
  mention: 'comments',
  follower: 'followers',
  ads: 'ads',
};

/** Which unread counter an opened TikTok email of `kind` reads, if any. */
export const unreadKindOfEmail = (kind: EmailKind): UnreadKind | null => UNREAD_OF[kind] ?? null;

/** Messages seen within this window are sent together. */
export const BATCH_MS = 150;
/** Backoff after a failed send: 300 ms, 600 ms, ... up to 5 s, then given up after `MAX_TRIES`. */
export const RETRY_MS = { first: 300, max: 5000 };
export const MAX_TRIES = 8;

/** How long after the user's click or key an opened message still counts as opened by them (Gmail may be slow). */
export const GESTURE_MS = 10_000;

export interface Gesture {
  at: number;
  seq: number;
}

/** The user's latest own click or key in this page (trusted events only), as `performance.now()` time. */
export function trackGestures(doc: Document = document): () => Gesture | null {
  let last: Gesture | null = null;
  let seq = 0;
  const note = (e: Event) => {
    if (e.isTrusted) last = { at: performance.now(), seq: ++seq };
  };
  for (const type of ['pointerdown', 'keydown']) doc.addEventListener(type, note, true);
  return () => last;
}

export interface MarkReadDeps {
  send: (name: 'markRead', data: { kinds: UnreadKind[] }) => Promise<{ ok: boolean }>;
  subscribe: (listener: (d: Detected) => void) => () => void;
  gesture: () => Gesture | null;
  now: () => number;
}

export function startMarkingRead(
  deps: MarkReadDeps = { send, subscribe: subscribeHub, gesture: trackGestures(), now: () => performance.now() },
): () => void {
  /** The kind the latest gesture has read, if any. */
  let read: { seq: number; kind: UnreadKind } | null = null;
  /** Opened message key → the counter it reads; each key counted once. */
  const delivery = startDelivery<UnreadKind>({
    deliver: (batch) => deps.send('markRead', { kinds: [...new Set(batch.map((item) => item[1]))] }),
    batchMs: BATCH_MS,
    retryMs: RETRY_MS,
    maxTries: MAX_TRIES,
  });

  const unsubscribe = deps.subscribe((d) => {
    if (d.scope !== 'message' || d.impostor !== false) return;
    const kind = unreadKindOfEmail(d.kind);
    const gesture = deps.gesture();
    if (!kind || !gesture || deps.now() - gesture.at > GESTURE_MS) return; // not opened by the user just now
    if (read?.seq === gesture.seq && read.kind !== kind) return; // this action already read another kind
    read = { seq: gesture.seq, kind };
    delivery.add(d.key, kind);
  });

  return () => {
    delivery.stop();
    unsubscribe();
  };
}

features.add({ id: 'mark-read', start: () => startMarkingRead() });
