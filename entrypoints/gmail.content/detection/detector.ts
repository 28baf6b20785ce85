/**
 * Runs detection over the visible Gmail view and keeps it true as Gmail changes the page: the watchers (watch.ts)
 * note which rows and messages changed, the scheduler (schedule.ts) runs passes in short slices, and each pass
 * (marking.ts) classifies, marks and tells the hub (detected.ts). Nothing here throws into the page: failures are
 * counted for the diagnostics.
 */
import type { GmailSettings } from '../settings';
import { markPass } from './marking';
import { scheduler } from './schedule';
import { countFailure, hasWork, type DetectionState, type DetectorStats } from './state';
import { watchGmail } from './watch';

export type { DetectorStats };

export interface Detector {
  stats: DetectorStats;
  /** Calls `listener` after each change of the visible view; returns the unsubscribe. */
  onViewChange(listener: () => void): () => void;
  setSettings(settings: GmailSettings): void;
  /** Stops watching; a last pass takes the rows' and open messages' marks out of the page. */
  stop(): void;
}

export function startDetector(settings: GmailSettings): Detector {
  const state: DetectionState = {
    settings,
    mains: [],
    full: true,
    dirtyRows: new Set(),
    messagesDirty: true,
    marked: new Set(),
    rowsInView: new Map(),
    stats: { passes: 0, errors: 0, last_error: null },
  };
  const viewListeners = new Set<() => void>();
  const schedule = scheduler(
    (slice) => markPass(state, slice),
    () => hasWork(state),
    (e) => countFailure(state.stats, e),
  );
  const stopWatching = watchGmail(state, schedule, () => viewListeners.forEach((listener) => listener()));
  return {
    stats: state.stats,
    onViewChange(listener) {
      viewListeners.add(listener);
      return () => viewListeners.delete(listener);
    },
    setSettings(next) {
      state.settings = next;
      state.full = state.messagesDirty = true;
      schedule();
    },
    stop() {
      stopWatching();
      state.mains = []; // the pass under way, if any, and a last one find no view: every mark comes off
      state.dirtyRows.clear();
      state.full = true;
      schedule();
    },
  };
}
