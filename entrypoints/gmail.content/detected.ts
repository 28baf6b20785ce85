/**
 * The detection hub: features subscribe to genuine TikTok rows and messages in the visible Gmail view.
 *
 * `subscribe(listener)` calls `listener(d)` for every recognised row or message now in view and for each new one,
 * and again when Gmail re-renders it (same key, new element or rebuilt content). A function the listener returns
 * runs when that row or message goes away or is re-rendered. Impostors are never published (`impostor` is false).
 * Listeners run after the detector has marked the page, in tasks of at most ~8 ms, so features never delay detection
 * or hold the main thread for long; cleanups run at once.
 */
import type { EmailFacts, EmailKind } from '@/utils/detect';
import { nextTask, taskQueue } from './tasks';

export type { EmailFacts, EmailKind };

export interface Detected {
  scope: 'row' | 'message';
  element: HTMLElement;
  /** Stable id of the email: Gmail's legacy message id (rows: last message id, else thread id). */
  key: string;
  kind: EmailKind;
  impostor: false;
  sender: { email: string; name: string };
  subject: string;
  facts: EmailFacts;
}

/** What the detector publishes of one row or message: the email, and which rendering of its element it is. */
export interface Published {
  detected: Detected;
  /** Bumped by the detector whenever it had to rebuild its marks on the element (Gmail replaced its content). */
  generation: number;
}

type Cleanup = () => void;
export type DetectedListener = (d: Detected) => void | Cleanup;

interface Entry extends Published {
  /** Listeners already called for this rendering (their cleanups, when they returned one, are in `cleanups`). */
  ran: Set<DetectedListener>;
  cleanups: Map<DetectedListener, Cleanup>;
}

const listeners = new Set<DetectedListener>();
const entries = new Map<string, Entry>();
let onListenerError: (error: unknown) => void = () => {};

const entryId = (d: Pick<Detected, 'scope' | 'key'>) => `${d.scope}:${d.key}`;

/** Listeners are called soon, in short slices (tasks.ts). */
const queue = taskQueue(nextTask);

/** Call every listener that has not seen `entry` yet, unless it is gone or was re-rendered by then. */
function enqueue(entry: Entry): void {
  queue(() => {
    if (entries.get(entryId(entry.detected)) !== entry) return;
    for (const listener of listeners) if (!entry.ran.has(listener)) run(listener, entry);
  });
}

function run(listener: DetectedListener, entry: Entry): void {
  entry.ran.add(listener);
  try {
    const cleanup = listener(entry.detected);
    if (typeof cleanup === 'function') entry.cleanups.set(listener, cleanup);
  } catch (e) {
    onListenerError(e);
  }
}

function cleanUp(entry: Entry, only?: DetectedListener): void {
  for (const [listener, cleanup] of [...entry.cleanups]) {
    if (only && listener !== only) continue;
    entry.cleanups.delete(listener);
    try {
      cleanup();
    } catch (e) {
      onListenerError(e);
    }
  }
}

export function subscribe(listener: DetectedListener): () => void {
  listeners.add(listener);
  for (const entry of entries.values()) enqueue(entry);
  return () => {
    listeners.delete(listener);
    for (const entry of entries.values()) {
      entry.ran.delete(listener);
      cleanUp(entry, listener);
    }
  };
}

/** Detector side: everything of one scope now in view (`generation` per key, see Published). Replaces the previous set. */
export function publish(scope: Detected['scope'], current: Published[]): void {
  const seen = new Set<string>();
  for (const { detected, generation } of current) {
    const id = entryId(detected);
    seen.add(id);
    const old = entries.get(id);
    if (
      old &&
      old.detected.element === detected.element &&
      old.generation === generation &&
      old.detected.kind === detected.kind
    )
      continue;
    if (old) cleanUp(old);
    const entry: Entry = { detected, generation, ran: new Set(), cleanups: new Map() };
    entries.set(id, entry);
    enqueue(entry);
  }
  for (const [id, entry] of entries) {
    if (entry.detected.scope === scope && !seen.has(id)) {
      entries.delete(id);
      cleanUp(entry);
    }
  }
}

/** Where listener failures go (the content script counts them in its diagnostics); never into the page. */
export function setListenerErrorHandler(handler: (error: unknown) => void): void {
  onListenerError = handler;
}
