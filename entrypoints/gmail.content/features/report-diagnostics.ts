/** Sends the selector self-check to the background (options page diagnostics) when the view changes. */
import { selfCheck } from '@/utils/gmail/selectors';
import { send } from '@/utils/messaging';
import type { DetectorStats } from '../detector';

let last = '';
let timer: ReturnType<typeof setTimeout> | undefined;

export function reportDiagnosticsSoon(stats: DetectorStats, delayMs = 1500): void {
  clearTimeout(timer);
  timer = setTimeout(() => {
    try {
      const health = selfCheck(document);
      if (stats.errors) {
        health.matched.detector_errors = { count: stats.errors, via: stats.last_error };
        health.ok = false;
      }
      const summary = JSON.stringify({ ...health, checked_at: '' });
      if (summary === last) return;
      last = summary;
      void send('reportDiagnostics', health);
    } catch {
      /* diagnostics never break Gmail */
    }
  }, delayMs);
}
