/** A tab panel whose code is loaded only when the tab is opened, so the popup's first paint carries only the Link tab. */
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import type { TabContext } from './tabs';

export function LazyPanel({ load, ctx }: { load: () => Promise<ComponentType<TabContext>>; ctx: TabContext }) {
  const [Panel, setPanel] = useState<ComponentType<TabContext> | null>(null);
  useEffect(() => {
    let live = true;
    void load().then((loaded) => live && setPanel(() => loaded));
    return () => {
      live = false;
    };
  }, [load]);
  return Panel ? <Panel {...ctx} /> : <p role="status">{t('popup_loading')}</p>;
}
