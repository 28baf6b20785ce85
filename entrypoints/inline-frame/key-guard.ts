/**
 * Keys that press things wait until the user is in this frame themselves. The Gmail page cannot type into the frame or
 * dispatch events in it, but it can focus it (`iframe.focus()`): the user's next Enter, meant for Gmail, would then send
 * the draft or press the focused button (Discard, Resend). So after the frame lost the focus, Enter and Space on a
 * button or link, and Enter (without Shift) in a text box, are held back until the user clicks or presses a pointer in
 * the frame, or moves with Tab inside it. A composer the user just opened (their click or key on Reply) starts ready.
 * Only trusted events count (the page cannot make those here anyway: it is another origin).
 */
export interface KeyGuard {
  ready(): boolean;
  stop(): void;
}

const isPressable = (el: EventTarget | null) =>
  el instanceof Element && !!el.closest('button, a[href], [role="button"], input[type="checkbox"]');

/** Whether this key, on this element, presses or sends something. */
export function pressesSomething(e: Pick<KeyboardEvent, 'key' | 'shiftKey' | 'target'>): boolean {
  if (e.key === 'Enter') return isPressable(e.target) || (e.target instanceof HTMLTextAreaElement && !e.shiftKey);
  return e.key === ' ' && isPressable(e.target);
}

export function guardKeys(win: Window, startReady: boolean, onHeld: () => void): KeyGuard {
  let ready = startReady;
  const arm = (e: Event) => {
    if (e.isTrusted) ready = true;
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Tab' && e.isTrusted && e.type === 'keydown') ready = true;
    if (ready || e.isComposing || !pressesSomething(e)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
    if (e.type === 'keydown') onHeld();
  };
  const disarm = () => {
    ready = false;
  };
  win.addEventListener('pointerdown', arm, true);
  win.addEventListener('keydown', onKey, true);
  win.addEventListener('keyup', onKey, true);
  win.addEventListener('keypress', onKey, true);
  win.addEventListener('blur', disarm);
  return {
    ready: () => ready,
    stop() {
      win.removeEventListener('pointerdown', arm, true);
      win.removeEventListener('keydown', onKey, true);
      win.removeEventListener('keyup', onKey, true);
      win.removeEventListener('keypress', onKey, true);
      win.removeEventListener('blur', disarm);
    },
  };
}
