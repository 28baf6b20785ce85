/**
 * What the detector's three parts share: the watchers (watch.ts) note here what changed, the scheduler
 * (schedule.ts) runs passes while something is noted, and each pass (marking.ts) takes the work and marks the page.
 */
import type { Published } from '../detected';
import type { GmailSettings } from '../settings';

export interface DetectorStats {
  passes: number;
  errors: number;
  last_error: string | null;
}

export interface DetectionState {
  settings: GmailSettings;
  /** The visible view roots (`[role=main]`). */
  mains: HTMLElement[];
  /** Read every row and message of the visible views again (the view or the settings changed). */
  full: boolean;
  /** Rows the mutations touched since the last pass. */
  dirtyRows: Set<HTMLElement>;
  /** The open conversation changed since the last pass. */
  messagesDirty: boolean;
  /** Rows carrying our marks now. */
  marked: Set<HTMLElement>;
  /** The TikTok rows among them, as last published to the hub. */
  rowsInView: Map<HTMLElement, Published>;
  stats: DetectorStats;
}

export const hasWork = (state: DetectionState): boolean =>
  state.full || state.dirtyRows.size > 0 || state.messagesDirty;

/** Counts a failure for the diagnostics (options page); nothing here throws into the page. */
export function countFailure(stats: DetectorStats, error: unknown): void {
  stats.errors++;
  stats.last_error = String((error as Error)?.message ?? error).slice(0, 300);
}
