/**
 * Whether this Gmail address has a usable TikTok link, shared by every inline UI of the tab (a list of 50 TikTok rows
 * asks the background once, not 50 times). 'unknown' until the background first answers (a worker that is starting
 * may not answer the first time: asked again a few times); asked again whenever the tab becomes visible (the user may
 * have linked in the popup meanwhile) and when a new inline UI mounts after the last answer is a minute old.
 */
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

const RETRIES = 3;
const RETRY_MS = 1000;
const STALE_MS = 60_000;

export type LinkHealth = 'ok' | 'unlinked' | 'reauth_required' | 'unreachable' | 'unknown';

interface Shared {
  health: LinkHealth;
  listeners: Set<(health: LinkHealth) => void>;
  checking: boolean;
  checked_at: number;
  retry?: ReturnType<typeof setTimeout>;
}
const shared = new Map<string, Shared>();

function set(state: Shared, health: LinkHealth): void {
  state.health = health;
  for (const listener of state.listeners) listener(health);
}

async function check(gmail: string, state: Shared, attempt = 0): Promise<void> {
  if (state.checking) return;
  state.checking = true;
  clearTimeout(state.retry);
  const r = await send('linkState', { gmail });
  state.checking = false;
  state.checked_at = Date.now();
  if (r.ok) return set(state, r.data.health);
  if (attempt < RETRIES) state.retry = setTimeout(() => void check(gmail, state, attempt + 1), RETRY_MS);
  if (attempt >= RETRIES || state.health !== 'unknown') set(state, 'unreachable');
}

function stateOf(gmail: string): Shared {
  let state = shared.get(gmail);
  if (!state) {
    const created: Shared = { health: 'unknown', listeners: new Set(), checking: false, checked_at: 0 };
    shared.set(gmail, created);
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && created.listeners.size) void check(gmail, created);
    });
    void check(gmail, created);
    state = created;
  }
  return state;
}

export function useLinkHealth(gmail: string): LinkHealth {
  const state = stateOf(gmail);
  const [health, setHealth] = useState<LinkHealth>(state.health);
  useEffect(() => {
    state.listeners.add(setHealth);
    setHealth(state.health);
    if (state.checked_at && Date.now() - state.checked_at > STALE_MS) void check(gmail, state);
    return () => {
      state.listeners.delete(setHealth);
    };
  }, [gmail, state]);
  return health;
}

/** Unlinked or needing a new sign-in: actions that need the link become "Link TikTok to reply". */
export const needsLink = (health: LinkHealth) => health === 'unlinked' || health === 'reauth_required';
