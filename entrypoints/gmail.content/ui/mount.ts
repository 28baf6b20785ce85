/**
 * Mounts a Preact tree in its own shadow root, on a host element that Gmail's CSS and Gmail's event handlers don't
 * reach: key events (Gmail's shortcuts) and mouse events (rows open on click) stop at the host. The root is open: a
 * closed root is no security boundary against the page (it sees the rendered pixels, selections and focus anyway), and
 * an open one lets the e2e tests drive the UI the way a user does. What the page can do through it is made useless:
 * untrusted events are dropped, Enter/Space on a button the page focused is held (key-intent.ts), and the DM
 * conversation and composers are not in it at all (a frame of our own page, features/composer-frame.tsx).
 *
 * Mounting reads no style or layout (theme and density come from `trackLook`, read once per document). Many mounts at
 * once (a list of 5,000 rows) go through `mountShadowSoon`: queued, and done in slices of at most ~8 ms in low-priority
 * tasks, after Gmail's own work, so no task of ours is long however big the list.
 */
import { render, type VNode } from 'preact';
import { nextTask, taskQueue } from '../tasks';
import { guardKeys } from './key-intent';
import INLINE_CSS from '@/components/inline.css?inline';
import { trackLook } from './theme';

const ISOLATED_EVENTS = [
  'keydown',
  'keypress',
  'keyup',
  'click',
  'dblclick',
  'mousedown',
  'mouseup',
  'pointerdown',
  'pointerup',
  'auxclick',
] as const;
const stop = (e: Event) => e.stopPropagation();

/** Events that make our UI act. Only the user's own (trusted) ones get through: a page script dispatching synthetic
 * clicks, keys or input into the shadow root (e.g. to send a reply or follow someone) is ignored. */
const USER_EVENTS = [
  'click',
  'dblclick',
  'auxclick',
  'keydown',
  'keypress',
  'keyup',
  'beforeinput',
  'input',
  'change',
  'submit',
  'paste',
  'drop',
] as const;
const dropUntrusted = (e: Event) => {
  if (e.isTrusted) return;
  e.stopImmediatePropagation();
  e.preventDefault();
};

export interface Mounted {
  host: HTMLElement;
  unmount(): void;
}

export interface MountOptions {
  /** Puts the host into Gmail's DOM (e.g. `host => anchor.after(host)`). */
  place: (host: HTMLElement) => void;
  /** The row or message the UI belongs to (theme and density are read around it, once per document). */
  context: Element;
  /** A small UI in a line of text (a row's quick action): a `ttg-chip` host, inline-block. */
  inline?: boolean;
  /** Sets attributes on the host before it is placed (e.g. a data- attribute naming what it is). */
  decorate?: (host: HTMLElement) => void;
  ui: VNode;
}

/** Builds the host and its shadow root, puts it in the page and renders the UI. */
function mount(opts: MountOptions): { host: HTMLElement; root: HTMLElement; untrack: () => void } {
  const host = document.createElement(opts.inline ? 'ttg-chip' : 'ttg-inline');
  const shadow = host.attachShadow({ mode: 'open' });
  for (const type of USER_EVENTS) shadow.addEventListener(type, dropUntrusted, true);
  guardKeys(host, shadow);
  const style = document.createElement('style');
  style.textContent = INLINE_CSS;
  const root = document.createElement('div');
  root.className = 'root';
  shadow.append(style, root);
  for (const type of ISOLATED_EVENTS) host.addEventListener(type, stop);
  opts.decorate?.(host);
  opts.place(host);
  const untrack = trackLook(root, opts.context);
  render(opts.ui, root);
  return { host, root, untrack };
}

/** Mounts now (one UI the user is looking at, e.g. the actions under an open email). */
export function mountShadow(opts: MountOptions): Mounted {
  const { host, root, untrack } = mount(opts);
  return {
    host,
    unmount() {
      untrack();
      render(null, root);
      host.remove();
    },
  };
}

// ---- batched mounts --------------------------------------------------------------------------------------------------

type PostTask = (fn: () => void, opts: { priority: 'background' | 'user-visible' }) => Promise<unknown>;
const postTask = (globalThis as { scheduler?: { postTask?: PostTask } }).scheduler?.postTask;

/** A low-priority task: Gmail's own tasks (input, rendering, its scripts) go first. */
function later(fn: () => void): void {
  if (postTask) {
    void postTask
      .call((globalThis as unknown as { scheduler: unknown }).scheduler, fn, { priority: 'background' })
      .catch(() => {});
    return;
  }
  if (typeof MessageChannel === 'function') nextTask(fn);
  else setTimeout(fn, 0);
}

const queue = taskQueue(later, 'mount');

/**
 * Mounts soon, in a short low-priority slice shared with the other pending mounts. Returns the unmount, which also
 * cancels a mount not done yet; an unmount takes the UI out of the page at once and tears its tree down in a slice.
 */
export function mountShadowSoon(opts: MountOptions): () => void {
  let state: 'queued' | 'mounted' | 'gone' = 'queued';
  let built: { host: HTMLElement; root: HTMLElement; untrack: () => void } | null = null;
  queue(() => {
    if (state !== 'queued' || !opts.context.isConnected) return void (state = 'gone');
    built = mount(opts);
    state = 'mounted';
  });
  return () => {
    const was = state;
    state = 'gone';
    if (was !== 'mounted' || !built) return;
    const { host, root, untrack } = built;
    built = null;
    host.remove();
    untrack();
    queue(() => render(null, root));
  };
}
