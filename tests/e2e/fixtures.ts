import { test as base, expect, type BrowserContext, type Page, type Worker } from '@playwright/test';
import { extensionIdOf, launchWithExtension, serviceWorkerOf } from '../support/extension';
import { serveGmail, type GmailPage } from '../support/gmail-route';
import { linkAccount } from '../support/link';
import { useSandboxService } from '../support/sandbox';
import { playwrightDriver } from '../support/playwright-driver';
import type { Driver } from '../scenarios/driver';
import type { Link } from '@/utils/api/schemas';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';

export interface Fixtures {
  context: BrowserContext;
  extensionId: string;
  /** The extension's service worker (re-fetched on each use: the worker can be stopped and restarted). */
  worker: () => Promise<Worker>;
  /** Opens an extension page (popup.html, options.html, ...) in a tab. */
  openExtensionPage: (file: string) => Promise<Page>;
  /** Opens a Gmail page served from a fixture at its real https://mail.google.com URL. */
  openGmail: (page: GmailPage) => Promise<Page>;
  /** A loopback sandbox service (utils/sandbox/http-server.ts) of the test's own: started on first use, closed after the test. */
  sandbox: SandboxServer;
  /**
   * Points the extension at `sandbox` (tests/support/sandbox.ts `useSandboxService`), opens options.html and links
   * `gmail` there through the real flow (tests/support/link.ts `linkAccount`); returns that page and the `Link`.
   */
  linkOnSandbox: (gmail: string) => Promise<{ page: Page; link: Link }>;
  /** The shared scenarios' driver (tests/scenarios) over this context: the same scenarios run in Firefox (tests/firefox). */
  driver: Driver;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  context: async ({}, use) => {
    const context = await launchWithExtension();
    await use(context);
    await context.close();
  },
  extensionId: async ({ context }, use) => use(await extensionIdOf(context)),
  worker: async ({ context }, use) => use(() => serviceWorkerOf(context)),
  driver: async ({ context, extensionId }, use) => use(playwrightDriver(context, extensionId)),
  openExtensionPage: async ({ context, extensionId }, use) =>
    use(async (file) => {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${file}`);
      return page;
    }),
  openGmail: async ({ context }, use) =>
    use(async (gmail) => {
      const page = await context.newPage();
      await serveGmail(page, gmail);
      await page.goto(gmail.url);
      return page;
    }),
  // eslint-disable-next-line no-empty-pattern
  sandbox: async ({}, use) => {
    const server = await startSandboxServer();
    await use(server);
    await server.close();
  },
  linkOnSandbox: async ({ context, worker, openExtensionPage, sandbox }, use) =>
    use(async (gmail) => {
      await useSandboxService(await worker(), sandbox.url);
      const page = await openExtensionPage('options.html');
      const link = await linkAccount({ context, page, sandboxUrl: sandbox.url, gmail });
      return { page, link };
    }),
});

export { expect };
