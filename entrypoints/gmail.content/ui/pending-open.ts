/**
 * A row's "Reply" chip opens the thread; the composer then opens by itself in that thread. The row and the open
 * message are different detections, so the row leaves a note here that the message picks up (once, for a short time).
 */
const TTL_MS = 15_000;
let pending: { kind: string; username: string; until: number } | null = null;

export function requestComposer(kind: string, username: string): void {
  pending = { kind, username: username.toLowerCase(), until: Date.now() + TTL_MS };
}

export function takeComposerRequest(kind: string, username: string | undefined): boolean {
  if (!pending || !username || Date.now() > pending.until) return false;
  if (pending.kind !== kind || pending.username !== username.toLowerCase()) return false;
  pending = null;
  return true;
}
