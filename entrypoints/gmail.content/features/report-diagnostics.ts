/** Sends the selector self-check and the detector's failures to the background (options page diagnostics) when the view changes. */
import { selfCheck } from '@/utils/gmail/selectors';
import { send } from '@/utils/messaging';
import type { DetectorStats } from '../detection/detector';
import { features } from '../feature-registry';

const DELAY_MS = 1500;
let last = '';
let timer: ReturnType<typeof setTimeout> | undefined;

function reportSoon(stats: DetectorStats): void {
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
  }, DELAY_MS);
}

features.add({
  id: 'report-diagnostics',
  start(ctx) {
    const report = () => reportSoon(ctx.stats);
    report();
    const unsubscribe = ctx.onViewChange(report);
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  },
});
