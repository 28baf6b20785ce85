/**
 * The shared scenarios' `Driver` (tests/scenarios/driver.ts) on Playwright + Chromium, over the persistent context
 * the e2e fixtures launch. `pageOf(tab)` gives the Playwright page back to a spec that continues with its own steps.
 */
import type { BrowserContext, ElementHandle, Frame, Page } from '@playwright/test';
import {
  describeTarget,
  findTarget,
  poll,
  targetArg,
  type Doc,
  type Driver,
  type MailResponder,
  type PageFn,
  type Tab,
  type TargetLike,
} from '../scenarios/driver';
import { fakePermissionPrompt } from './permissions';
import { currentWorker, stopServiceWorker } from './worker';

/** Finding and acting on elements, the same in a page and in a frame. */
class PlaywrightDoc implements Doc {
  constructor(readonly doc: Page | Frame) {}

  evaluate = <R, A>(fn: PageFn<A, R>, arg?: A): Promise<R> => this.doc.evaluate(fn as never, arg as never);
  private find(target: TargetLike): Promise<ElementHandle> {
    return poll(async () => {
      const handle = await this.doc.evaluateHandle(findTarget, targetArg(target)).catch(() => null); // null: between documents
      const el = (handle?.asElement() ?? null) as ElementHandle | null;
      if (!el) await handle?.dispose();
      return el;
    }, describeTarget(target));
  }
  click = async (target: TargetLike) => (await this.find(target)).click();
  fill = async (target: TargetLike, value: string) => (await this.find(target)).fill(value);
  press = async (target: TargetLike, key: string) => (await this.find(target)).press(key);
  text = (target: TargetLike) =>
    poll(
      () => this.doc.evaluate(findTarget, targetArg(target, 'text')).catch(() => null) as Promise<string | null>,
      describeTarget(target),
    );
  visible = async (target: TargetLike) => (await this.doc.evaluate(findTarget, targetArg(target, 'text'))) !== null;
  frame = async (target: TargetLike): Promise<Doc> => {
    const frame = await poll(
      async () => (await this.find(target)).contentFrame(),
      `the frame of ${describeTarget(target)}`,
    );
    return new PlaywrightDoc(frame);
  };
}

class PlaywrightTab extends PlaywrightDoc implements Tab {
  constructor(readonly page: Page) {
    super(page);
  }

  url = async () => this.page.url();
  goto = async (url: string) => {
    await this.page.goto(url).catch(() => undefined); // a sign-in window may close while it loads
  };
  reload = async () => {
    await this.page.reload();
  };
  close = () => this.page.close();
  bringToFront = () => this.page.bringToFront();
  setViewport = (width: number, height: number) => this.page.setViewportSize({ width, height });
  screenshot = async (file: string) => {
    await this.page.screenshot({ path: file });
  };
  readClipboard = async () => {
    await this.page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(this.page.url()).origin });
    return this.page.evaluate(() => navigator.clipboard.readText());
  };
}

export const pageOf = (tab: Tab): Page => (tab as PlaywrightTab).page;

export function playwrightDriver(context: BrowserContext, extensionId: string): Driver {
  const extensionUrl = (file: string) => `chrome-extension://${extensionId}/${file}`;
  return {
    browserName: 'chromium',
    extensionUrl,
    async openGmail(url: string, respond: MailResponder) {
      const page = await context.newPage();
      // Copy code writes the clipboard on a click; the scenario reads it back.
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: 'https://mail.google.com' });
      await page.route('https://mail.google.com/**', async (route) =>
        route.fulfill(
          await respond({ url: route.request().url(), navigation: route.request().resourceType() === 'document' }),
        ),
      );
      await page.goto(url);
      return new PlaywrightTab(page);
    },
    async openExtensionPage(file: string) {
      const page = await context.newPage();
      await page.goto(extensionUrl(file));
      return new PlaywrightTab(page);
    },
    async waitForTab(match) {
      const page = await poll(
        async () => context.pages().find((p) => match(p.url())) ?? null,
        'a tab with a matching URL',
        15_000,
      );
      return new PlaywrightTab(page);
    },
    extension: async <R, A>(fn: PageFn<A, R>, arg?: A) =>
      (await currentWorker(context)).evaluate(fn as never, arg as never) as Promise<R>,
    async stopBackground() {
      if (!(await stopServiceWorker(context))) throw new Error('No service worker was running');
    },
    async permissionPrompt(tab) {
      const prompt = await fakePermissionPrompt(pageOf(tab));
      return { grantedOrigins: async () => (await prompt.requests()).flatMap((r) => r.origins ?? []) };
    },
  };
}
