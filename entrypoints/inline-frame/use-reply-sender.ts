/**
 * Sends the composer's text to the durable outbox. One `client_key` per text being sent: a double click or a second
 * Enter before the answer reuses it, so the reply is queued once; a new key is made after the text has been queued.
 * Editing a refused draft resends that same outbox entry with the new text.
 */
import { useRef, useState } from 'preact/hooks';
import type { OutboxEntry, ReplyTarget } from '@/utils/messaging/catalogue';
import { send } from '@/utils/messaging';

export interface ReplySender {
  busy: boolean;
  error: string | null;
  editing: OutboxEntry | null;
  submit(text: string): Promise<boolean>;
  edit(entry: OutboxEntry): void;
}

export function useReplySender(gmail: string, target: ReplyTarget | null, onQueued: () => void): ReplySender {
  const clientKey = useRef<string | null>(null);
  const inFlight = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<OutboxEntry | null>(null);

  const submit = async (text: string) => {
    if (!target || !text.trim() || inFlight.current) return false;
    inFlight.current = true;
    setBusy(true);
    setError(null);
    clientKey.current ??= crypto.randomUUID();
    const r = editing
      ? await send('outboxRetry', { entry_id: editing.entry_id, text })
      : await send('sendReply', { gmail, target, text, client_key: clientKey.current });
    inFlight.current = false;
    setBusy(false);
    if (!r.ok) {
      setError(r.error.message);
      return false;
    }
    clientKey.current = null;
    setEditing(null);
    onQueued();
    return true;
  };

  return { busy, error, editing, submit, edit: setEditing };
}
