/**
 * Opening a genuine TikTok email in Gmail reads it: the worker's unread count of that kind (the toolbar badge) drops.
 *
 * Only opened messages count (hub scope 'message': expanded, in the visible view, never impostors), never list rows.
 * Each message key is counted once per page; messages that appear together (a conversation opened, a cached view
 * shown) go out as one `markRead` with every kind they name. A refused or unanswered call (the worker starting, this
 * tab's account report not stored yet) is tried again with a short backoff.
 */
import { send } from '@/utils/messaging';
import { subscribe as subscribeHub, type Detected, type EmailKind } from '../detected';
import { startDelivery } from '../delivery';

/** The worker's unread counters (`Unread` in utils/api/schemas.ts; plain strings here, no zod in the content script). */
export type UnreadKind = 'messages' | 'comments' | 'followers' | 'ads';

/** Which unread counter an opened TikTok email of `kind` reads, if any. */
export function unreadKindOfEmail(kind: EmailKind): UnreadKind | null {
  switch (kind) {
    case 'message':
      return 'messages';
    case 'comment':
    case 'mention':
      return 'comments';
    case 'follower':
      return 'followers';
    case 'ads':
      return 'ads';
    default:
      return null;
  }
}

/** Messages seen within this window are sent together. */
export const BATCH_MS = 150;
/** Backoff after a failed send: 300 ms, 600 ms, ... up to 5 s, then given up after `MAX_TRIES`. */
export const RETRY_MS = { first: 300, max: 5000 };
export const MAX_TRIES = 8;

export interface MarkReadDeps {
  send: (name: 'markRead', data: { kinds: UnreadKind[] }) => Promise<{ ok: boolean }>;
  subscribe: (listener: (d: Detected) => void) => () => void;
}

export function startMarkingRead(deps: MarkReadDeps = { send, subscribe: subscribeHub }): () => void {
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
    if (kind) delivery.add(d.key, kind);
  });

  return () => {
    delivery.stop();
    unsubscribe();
  };
}
