/**
 * Enter and Space press our in-page buttons (Follow back, Reply, Copy code) only when the user put the focus there
 * themselves. A page script can `focus()` one of our buttons (the shadow roots are open) so that the user's next Enter,
 * meant for Gmail, presses it. So each UI remembers how the focus came in: with a trusted pointer press on it, or by
 * the browser's own Tab move (a trusted Tab whose dispatch ended without anyone cancelling it, in the same task). Focus
 * that came any other way holds Enter and Space back until the user clicks or tabs. Our own code focusing a button for
 * the user (`focusForUser`, e.g. back to Reply after Escape) counts as theirs.
 */
let pointerAt = -Infinity;
let pointerPath: EventTarget[] = [];
let tab: KeyboardEvent | null = null;
let watching = false;
/** An element our own code is focusing for the user (e.g. back to Reply after Escape in the composer). */
let focusingForUser: Element | null = null;

/** Focuses `el` on the user's behalf (after their own key or click): Enter may press it. */
export function focusForUser(el: HTMLElement | null | undefined): void {
  if (!el) return;
  focusingForUser = el;
  try {
    el.focus();
  } finally {
    focusingForUser = null;
  }
}

function watch(): void {
  if (watching) return;
  watching = true;
  document.addEventListener(
    'pointerdown',
    (e) => {
      if (!e.isTrusted) return;
      pointerAt = performance.now();
      pointerPath = e.composedPath();
    },
    true,
  );
  document.addEventListener(
    'keydown',
    (e) => {
      if (!e.isTrusted || e.key !== 'Tab') return;
      tab = e;
      setTimeout(() => tab === e && (tab = null), 0); // only the focus move of this very task counts
    },
    true,
  );
}

const POINTER_MS = 1000;

/** Whether focus arriving at `host` now was moved there by the user. */
function movedByUser(host: Element): boolean {
  if (performance.now() - pointerAt < POINTER_MS && pointerPath.includes(host)) return true;
  return !!tab && tab.eventPhase === Event.NONE && !tab.defaultPrevented;
}

const pressable = (target: EventTarget | null) =>
  target instanceof Element && !!target.closest('button, a[href], [role="button"]');

/** Guards the UI in `shadow` (hosted by `host`). */
export function guardKeys(host: Element, shadow: ShadowRoot): void {
  watch();
  let ready = false;
  shadow.addEventListener(
    'focusin',
    (e) => (ready = movedByUser(host) || (!!focusingForUser && e.composedPath().includes(focusingForUser))),
  );
  shadow.addEventListener('focusout', () => (ready = false));
  shadow.addEventListener('pointerdown', (e) => e.isTrusted && (ready = true), true);
  const hold = (e: Event) => {
    const key = (e as KeyboardEvent).key;
    if (ready || (key !== 'Enter' && key !== ' ') || !pressable(e.composedPath()[0] ?? null)) return;
    e.preventDefault();
    e.stopImmediatePropagation();
  };
  for (const type of ['keydown', 'keypress', 'keyup']) shadow.addEventListener(type, hold, true);
}
