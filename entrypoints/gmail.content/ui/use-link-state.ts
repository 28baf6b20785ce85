/** Whether this Gmail address has a usable TikTok link; asked again whenever the Gmail tab becomes visible. */
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';

export type LinkHealth = 'ok' | 'unlinked' | 'reauth_required' | 'unreachable' | 'unknown';

export function useLinkHealth(gmail: string): LinkHealth {
  const [health, setHealth] = useState<LinkHealth>('unknown');
  useEffect(() => {
    let alive = true;
    const check = async () => {
      const r = await send('linkState', { gmail });
      if (alive) setHealth(r.ok ? r.data.health : 'unreachable');
    };
    const onVisible = () => document.visibilityState === 'visible' && void check();
    void check();
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      alive = false;
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [gmail]);
  return health;
}

/** Unlinked or needing a new sign-in: actions that need the link become "Link TikTok to reply". */
export const needsLink = (health: LinkHealth) => health === 'unlinked' || health === 'reauth_required';
