import { defineContentScript } from 'wxt/utils/define-content-script';
import { setListenerErrorHandler } from './detected';
import { startDetector } from './detector';
import { startActionBar } from './features/action-bar';
import { ensureStyles } from './features/chips';
import { startMarkingRead } from './features/mark-read';
import { reportAccount } from './features/report-account';
import { startReportingCodes } from './features/report-codes';
import { startRowQuickActions } from './features/row-quick-action';
import { reportDiagnosticsSoon } from './features/report-diagnostics';
import { DEFAULT_GMAIL_SETTINGS, readGmailSettings, watchGmailSettings } from './settings';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  async main() {
    try {
      ensureStyles();
      const settings = await readGmailSettings().catch(() => DEFAULT_GMAIL_SETTINGS);
      // The first view change is reported while startDetector runs, before `detector` exists.
      let detector: ReturnType<typeof startDetector> | undefined = undefined;
      detector = startDetector(settings, () => {
        if (detector) reportDiagnosticsSoon(detector.stats);
        void reportAccount().catch(() => null);
      });
      setListenerErrorHandler((e) => {
        detector.stats.errors++;
        detector.stats.last_error = String((e as Error)?.message ?? e).slice(0, 300);
      });
      watchGmailSettings((next) => detector.setSettings(next));
      startReportingCodes();
      startActionBar();
      startRowQuickActions();
      startMarkingRead();
      void reportAccount().catch(() => null);
      reportDiagnosticsSoon(detector.stats);
    } catch {
      /* never throw into Gmail; the missing diagnostics report shows up in the options page */
    }
  },
});
