/**
 * The Gmail content script: marks genuine TikTok rows and messages (detection/), then starts every feature
 * (features/, each registering itself with feature-registry.ts; the imports below are their start order). When WXT
 * invalidates the script (a newer copy started), every feature is stopped and the detector takes its marks off.
 */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { setListenerErrorHandler } from './detected';
import { ensureStyles } from './detection/chips';
import { startDetector } from './detection/detector';
import { countFailure } from './detection/state';
import { startFeatures } from './feature-registry';
import { DEFAULT_GMAIL_SETTINGS, readGmailSettings, watchGmailSettings } from './settings';
import './features/report-codes';
import './features/action-bar';
import './features/row-quick-action';
import './features/mark-read';
import './features/report-account';
import './features/report-diagnostics';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  async main(ctx) {
    try {
      ensureStyles();
      const settings = await readGmailSettings().catch(() => DEFAULT_GMAIL_SETTINGS);
      const detector = startDetector(settings);
      setListenerErrorHandler((e) => countFailure(detector.stats, e));
      const unwatch = watchGmailSettings((next) => detector.setSettings(next));
      const stopFeatures = startFeatures(detector);
      ctx.onInvalidated(() => {
        stopFeatures();
        unwatch();
        detector.stop();
      });
    } catch {
      /* never throw into Gmail; the missing diagnostics report shows up in the options page */
    }
  },
});
