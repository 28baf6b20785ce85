/** The outbox entries of one reply target (a conversation or a comment), refreshed while any of them is in flight. */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { OutboxEntry, ReplyTarget } from '@/utils/messaging/catalogue';
import { send } from '@/utils/messaging';

const POLL_MS = 1000;
const SHOWN = 5;

const sameTarget = (a: ReplyTarget, b: ReplyTarget) =>
  a.kind === b.kind &&
  a.username.toLowerCase() === b.username.toLowerCase() &&
  (a.kind === 'message'
    ? a.conversation_id === (b as typeof a).conversation_id
    : a.comment_id === (b as typeof a).comment_id);

export function useOutbox(
  gmail: string,
  target: ReplyTarget | null,
): { entries: OutboxEntry[]; refresh: () => Promise<void> } {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const key = target ? JSON.stringify(target) : '';

  const refresh = useCallback(async () => {
    if (!target) return;
    const r = await send('outboxList', { gmail });
    if (!r.ok) return;
    const mine = r.data
      .filter((e) => sameTarget(e.target, target))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
    setEntries(mine.slice(-SHOWN));
  }, [gmail, key]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  const inFlight = entries.some((e) => e.status === 'queued' || e.status === 'sending');
  useEffect(() => {
    if (!inFlight) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [inFlight, refresh]);

  return { entries, refresh };
}
