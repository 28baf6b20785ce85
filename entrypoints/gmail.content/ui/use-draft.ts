/**
 * Composer text kept by the background (`draftGet`/`draftSave`), so it survives closing the thread, reloading Gmail
 * and the worker stopping. Saved on input after a short pause, and at once when the composer goes away.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

const SAVE_DELAY_MS = 300;

export function useDraft(key: string): { text: string; setText: (text: string) => void; loaded: boolean } {
  const [text, setLocal] = useState('');
  const [loaded, setLoaded] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const pending = useRef<string | null>(null);

  const flush = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (pending.current !== null) void send('draftSave', { key, text: pending.current });
    pending.current = null;
  }, [key]);

  useEffect(() => {
    let alive = true;
    void send('draftGet', { key }).then((r) => {
      if (!alive) return;
      // Text typed before the saved draft arrived wins.
      if (r.ok && pending.current === null) setLocal(r.data.text);
      setLoaded(true);
    });
    return () => {
      alive = false;
      flush();
    };
  }, [key, flush]);

  const setText = useCallback(
    (next: string) => {
      setLocal(next);
      pending.current = next;
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(flush, SAVE_DELAY_MS);
    },
    [flush],
  );

  return { text, setText, loaded };
}
