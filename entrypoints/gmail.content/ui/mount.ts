/**
 * Mounts a Preact tree in its own shadow root, on a host element that Gmail's CSS and Gmail's event handlers don't
 * reach: key events (Gmail's shortcuts) and mouse events (rows open on click) stop at the host. The root is open: a
 * closed root is no security boundary against the page (it sees the rendered pixels, selections and focus anyway), and
 * an open one lets the e2e tests drive the UI the way a user does.
 */
import { render, type VNode } from 'preact';
import { INLINE_CSS } from './styles';
import { detectDensity, detectTheme } from './theme';

const ISOLATED_EVENTS = ['keydown', 'keypress', 'keyup', 'click', 'dblclick', 'mousedown', 'mouseup', 'pointerdown', 'pointerup', 'auxclick'] as const;
const stop = (e: Event) => e.stopPropagation();

/** Events that make our UI act. Only the user's own (trusted) ones get through: a page script dispatching synthetic
 * clicks, keys or input into the shadow root (e.g. to send a reply or follow someone) is ignored. */
const USER_EVENTS = ['click', 'dblclick', 'auxclick', 'keydown', 'keypress', 'keyup', 'beforeinput', 'input', 'change', 'submit', 'paste', 'drop'] as const;
const dropUntrusted = (e: Event) => {
  if (e.isTrusted) return;
  e.stopImmediatePropagation();
  e.preventDefault();
};

export interface Mounted {
  host: HTMLElement;
  unmount(): void;
}

export function mountShadow(opts: {
  /** Puts the host into Gmail's DOM (e.g. `host => anchor.after(host)`). */
  place: (host: HTMLElement) => void;
  /** Element whose surroundings decide theme and density (the row or the message). */
  context: Element;
  inline?: boolean;
  ui: VNode;
}): Mounted {
  const host = document.createElement(opts.inline ? 'ttg-chip' : 'ttg-inline');
  if (opts.inline) host.setAttribute('data-inline', '');
  const shadow = host.attachShadow({ mode: 'open' });
  for (const type of USER_EVENTS) shadow.addEventListener(type, dropUntrusted, true);
  const style = document.createElement('style');
  style.textContent = INLINE_CSS;
  const root = document.createElement('div');
  root.className = 'root';
  shadow.append(style, root);
  for (const type of ISOLATED_EVENTS) host.addEventListener(type, stop);
  opts.place(host);
  root.dataset.theme = detectTheme(opts.context);
  root.dataset.density = detectDensity(opts.context);
  render(opts.ui, root);
  return {
    host,
    unmount() {
      render(null, root);
      host.remove();
    },
  };
}
