/**
 * Whether this Gmail address has a usable TikTok link, shared by every inline UI of the tab (a list of 50 TikTok rows
 * asks the background once, not 50 times). 'unknown' until the background first answers (a worker that is starting
 * may not answer the first time: asked again a few times); asked again at once when the worker saves a link change
 * (linked, unlinked, re-auth needed: utils/storage/link-epoch.ts), whenever the tab becomes visible, and when a new
 * inline UI mounts after the last answer is a minute old.
 */
import { useEffect, useState } from 'preact/hooks';
import type { Capabilities } from '@/utils/api/schemas';
import { send } from '@/utils/messaging';
import { watchLinkEpoch } from '@/utils/storage/link-epoch';
import { measureTask } from '../tasks';

const RETRIES = 3;
const RETRY_MS = 1000;
const STALE_MS = 60_000;

export type LinkHealth = 'ok' | 'unlinked' | 'reauth_required' | 'unreachable' | 'unknown';

interface Shared {
  health: LinkHealth;
  /** What the link can do (API 1.1 per capability, with reasons); null while unknown or unlinked. */
  capabilities: Capabilities | null;
  listeners: Set<(health: LinkHealth) => void>;
  checking: boolean;
  /** A change was announced while a check was running: its answer may predate the change, so ask once more. */
  again: boolean;
  checked_at: number;
  retry?: ReturnType<typeof setTimeout>;
}
const shared = new Map<string, Shared>();
let watching = false;

/** Every address this tab shows UI for is asked again when a link changes anywhere. */
function watchLinkChanges(): void {
  if (watching) return;
  watching = true;
  watchLinkEpoch(() => {
    for (const [gmail, state] of shared) if (state.listeners.size) void check(gmail, state);
  });
}

/** UIs told per task: each re-renders after the task (Preact batches), a small chip in well under 0.1 ms. */
const PER_TASK = 64;

/** Tells every UI of the tab; a list of 1,000 TikTok rows re-renders in short tasks, not in one long one. */
function set(state: Shared, health: LinkHealth, capabilities = state.capabilities): void {
  state.health = health;
  // The same capabilities answered again keep their identity: no UI re-renders for an unchanged answer.
  if (JSON.stringify(capabilities) !== JSON.stringify(state.capabilities)) state.capabilities = capabilities;
  const pending = [...state.listeners];
  let next = 0;
  const slice = () => {
    const start = performance.now();
    for (const end = Math.min(pending.length, next + PER_TASK); next < end; next++) {
      const listener = pending[next]!;
      if (state.listeners.has(listener)) listener(state.health);
    }
    if (next < pending.length) setTimeout(slice, 0);
    queueMicrotask(() => measureTask('ttg-features', start, 'link-health')); // after Preact's re-render, queued (as a microtask) by the first update
  };
  slice();
}

async function check(gmail: string, state: Shared, attempt = 0): Promise<void> {
  if (state.checking) {
    state.again = true;
    return;
  }
  state.checking = true;
  state.again = false;
  clearTimeout(state.retry);
  const r = await send('linkState', { gmail });
  state.checking = false;
  state.checked_at = Date.now();
  if (state.again) return check(gmail, state);
  if (r.ok) return set(state, r.data.health, r.data.link?.capabilities ?? null);
  if (attempt < RETRIES) state.retry = setTimeout(() => void check(gmail, state, attempt + 1), RETRY_MS);
  if (attempt >= RETRIES || state.health !== 'unknown') set(state, 'unreachable');
}

function stateOf(gmail: string): Shared {
  let state = shared.get(gmail);
  if (!state) {
    const created: Shared = {
      health: 'unknown',
      capabilities: null,
      listeners: new Set(),
      checking: false,
      again: false,
      checked_at: 0,
    };
    shared.set(gmail, created);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && created.listeners.size) void check(gmail, created);
    });
    void check(gmail, created);
    watchLinkChanges();
    state = created;
  }
  return state;
}

export function useLinkHealth(gmail: string): LinkHealth {
  return useLinkState(gmail).health;
}

/** Health and capabilities of this Gmail address's link, re-rendered when either changes. */
export function useLinkState(gmail: string): { health: LinkHealth; capabilities: Capabilities | null } {
  const state = stateOf(gmail);
  const snapshot = () => ({ health: state.health, capabilities: state.capabilities });
  const [current, setCurrent] = useState(snapshot);
  useEffect(() => {
    const setHealth = () =>
      setCurrent((old) => (old.health === state.health && old.capabilities === state.capabilities ? old : snapshot()));
    state.listeners.add(setHealth);
    setHealth();
    if (state.checked_at && Date.now() - state.checked_at > STALE_MS) void check(gmail, state);
    return () => {
      state.listeners.delete(setHealth);
    };
  }, [gmail, state]);
  return current;
}

/** Unlinked or needing a new sign-in: actions that need the link become "Link TikTok to reply". */
export const needsLink = (health: LinkHealth) => health === 'unlinked' || health === 'reauth_required';
