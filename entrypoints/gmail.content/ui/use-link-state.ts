/**
 * Whether this Gmail address has a usable TikTok link: 'unknown' until the background first answers (a worker that is
 * starting up may not answer the first time: asked again a few times), and asked again whenever the tab becomes visible.
 */
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

const RETRIES = 3;
const RETRY_MS = 1000;

export type LinkHealth = 'ok' | 'unlinked' | 'reauth_required' | 'unreachable' | 'unknown';

export function useLinkHealth(gmail: string): LinkHealth {
  const [health, setHealth] = useState<LinkHealth>('unknown');
  useEffect(() => {
    let alive = true;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const check = async (attempt = 0) => {
      clearTimeout(retry);
      const r = await send('linkState', { gmail });
      if (!alive) return;
      if (!r.ok && attempt < RETRIES) retry = setTimeout(() => void check(attempt + 1), RETRY_MS);
      setHealth((before) => (r.ok ? r.data.health : attempt < RETRIES && before === 'unknown' ? 'unknown' : 'unreachable'));
    };
    const onVisible = () => document.visibilityState === 'visible' && void check();
    void check();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      alive = false;
      clearTimeout(retry);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [gmail]);
  return health;
}

/** Unlinked or needing a new sign-in: actions that need the link become "Link TikTok to reply". */
export const needsLink = (health: LinkHealth) => health === 'unlinked' || health === 'reauth_required';
