import { useEffect, useState } from 'preact/hooks';
import { readSettings, watchSettings, writeSettings, type Settings } from '@/utils/storage/settings';

export type SaveSettings = (next: Settings) => Promise<boolean>;

/** The stored settings, kept current when they change elsewhere, and a validated save. */
export function useSettings(): { settings: Settings | null; save: SaveSettings; saveFailed: boolean } {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [saveFailed, setSaveFailed] = useState(false);
  useEffect(() => {
    void readSettings().then(setSettings);
    return watchSettings(setSettings);
  }, []);
  const save: SaveSettings = async (next) => {
    try {
      setSettings(await writeSettings(next));
      setSaveFailed(false);
      return true;
    } catch {
      setSaveFailed(true);
      return false;
    }
  };
  return { settings, save, saveFailed };
}
