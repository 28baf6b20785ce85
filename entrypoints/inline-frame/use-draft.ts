/**
 * Composer text kept by the background (`draftGet`/`draftSave`), so it survives closing the thread, reloading Gmail
 * and the worker stopping. Saved on input after a short pause, and at once when the composer goes away or the frame
 * loses the focus (a click on Close in Gmail removes the frame right after: no cleanup of ours runs then), and when it
 * is cleared after a send; a save the background did not take is tried again.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

const SAVE_DELAY_MS = 300;
const RETRY_MS = 1000;
const RETRIES = 5;

/** Latest text handed over per key: a failed save is retried only while nothing newer was saved for that key. */
const latest = new Map<string, string>();
/** Text of a save not confirmed yet, per key: a composer opened meanwhile shows it, not the older text the background
 * still holds (e.g. the text just sent, when the composer is closed and opened again at once). */
const unsaved = new Map<string, string>();

/**
 * Saves `text`, and saves it again when the background did not take it (a worker that was stopped mid-save, or is
 * starting): the text must not be lost because the worker went away at the wrong moment. Also runs after the composer
 * is gone (closing it saves at once).
 */
async function save(key: string, text: string, attempt = 0): Promise<void> {
  latest.set(key, text);
  unsaved.set(key, text);
  const r = await send('draftSave', { key, text });
  const done = () => {
    if (unsaved.get(key) === text) unsaved.delete(key);
  };
  if (r.ok || r.error.code !== 'unreachable' || attempt >= RETRIES) return done();
  setTimeout(() => {
    if (latest.get(key) === text) void save(key, text, attempt + 1);
    else done();
  }, RETRY_MS);
}

export function useDraft(key: string): {
  text: string;
  setText: (text: string, now?: boolean) => void;
  loaded: boolean;
} {
  const [text, setLocal] = useState('');
  const [loaded, setLoaded] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<string | null>(null);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const text = pending.current;
    pending.current = null;
    if (text !== null) void save(key, text);
  }, [key]);

  useEffect(() => {
    let alive = true;
    const before = unsaved.get(key); // a save asked for before this read is newer than what the read may return
    void send('draftGet', { key }).then((r) => {
      if (!alive) return;
      // Text typed before the saved draft arrived wins, then text of this tab not saved yet, then the saved draft.
      const mine = unsaved.get(key) ?? before;
      if (pending.current === null && (mine !== undefined || r.ok)) setLocal(mine ?? (r.ok ? r.data.text : ''));
      setLoaded(true);
    });
    addEventListener('blur', flush);
    addEventListener('pagehide', flush);
    return () => {
      alive = false;
      removeEventListener('blur', flush);
      removeEventListener('pagehide', flush);
      flush();
    };
  }, [key, flush]);

  const setText = useCallback(
    (next: string, now = false) => {
      setLocal(next);
      pending.current = next;
      if (timer.current) clearTimeout(timer.current);
      if (now) flush();
      else timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush],
  );

  return { text, setText, loaded };
}
