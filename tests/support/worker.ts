/**
 * Stopping the extension's service worker the way Chrome does when it idles it out, from a test.
 *
 * What works with headless Chromium (checked on Debian Chromium with Playwright's persistent context):
 * a browser-level CDP session (`context.browser().newBrowserCDPSession()`), `Target.getTargets` → the target of type
 * `service_worker`, then `Target.closeTarget`. The worker is gone at once (its globals are lost), and the next event
 * (a message from a page, an alarm) starts a fresh one.
 *
 * What did not work as well in our probe: `ServiceWorker.stopAllWorkers` from a page's CDP session did nothing visible
 * without `ServiceWorker.enable`; with it (and the session kept attached) it stopped the worker but every later call
 * on that context failed with "Target page, context or browser has been closed". chrome://serviceworker-internals
 * shows the worker but has no Stop buttons in this build.
 */
import type { BrowserContext, Worker } from '@playwright/test';

/** Stops the extension's service worker; resolves once Chromium reports it closed. Returns false when none ran. */
export async function stopServiceWorker(context: BrowserContext): Promise<boolean> {
  const browser = context.browser();
  if (!browser) throw new Error('stopServiceWorker needs a context with a browser (launchPersistentContext gives one)');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = (await cdp.send('Target.getTargets')) as {
      targetInfos: { targetId: string; type: string; url: string }[];
    };
    const workers = targetInfos.filter((t) => t.type === 'service_worker' && t.url.startsWith('chrome-extension://'));
    for (const sw of workers) await cdp.send('Target.closeTarget', { targetId: sw.targetId });
    return workers.length > 0;
  } finally {
    await cdp.detach().catch(() => undefined);
  }
}

/** The running worker, started by an event if needed (call after something woke it, e.g. a message). */
export async function currentWorker(context: BrowserContext): Promise<Worker> {
  const all = context.serviceWorkers();
  return all[all.length - 1] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
}
