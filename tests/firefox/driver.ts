/**
 * The shared scenarios' `Driver` (tests/scenarios/driver.ts) on Firefox: puppeteer-core over WebDriver BiDi, with the
 * extension installed by tests/firefox/firefox.ts.
 *
 * Firefox specifics handled here:
 * - `page.goto` on a moz-extension:// page may never report the load: the tab waits for the page's own content.
 * - Request interception answers https://mail.google.com, lets loopback (sandbox) and extension requests through and
 *   refuses every other host (nothing leaves the machine).
 * - `extension(fn)` runs in an extension page (Firefox has no service worker to evaluate in; the event page is not
 *   a BiDi browsing context); the extension APIs are the same there.
 * - `stopBackground()` stops the event page through the chrome scope, as Firefox's idle timeout does.
 * - The permission prompt is answered Allow by a pref (see firefox.ts); what was granted is read back from
 *   `permissions.getAll()`.
 */
import type { Browser, ElementHandle, Frame, Page } from 'puppeteer-core';
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
import { EXTENSION_UUID, type FirefoxWithExtension } from './firefox';

const EXTENSION_ORIGIN = `moz-extension://${EXTENSION_UUID}`;
const LOCAL = /^(https?:\/\/(127\.0\.0\.1|localhost)[:/]|moz-extension:|about:|data:|blob:)/;

/**
 * Polls `check` in the page until it is true. Evaluations that fail while the page is between documents (BiDi answers
 * with an error then) count as "not yet", where page.waitForFunction would give up.
 */
const until = <A>(page: Page, what: string, check: (arg: A) => boolean, arg: A) =>
  poll(
    async () => ((await page.evaluate(check as never, arg as never).catch(() => false)) ? true : null),
    what,
    15_000,
  );

/** Waits until the document at `url` is parsed and has content (for moz-extension pages, whose load BiDi may not report). */
const waitForContent = (page: Page, url: string | null) =>
  until(
    page,
    `the content of ${url ?? 'the page'}`,
    (expected: string | null) =>
      (expected === null || location.href === expected) &&
      document.readyState !== 'loading' &&
      !!document.body &&
      document.body.childElementCount > 0,
    url,
  );

/** Finding and acting on elements, the same in a page and in a frame. */
class FirefoxDoc implements Doc {
  constructor(readonly doc: Page | Frame) {}

  evaluate = <R, A>(fn: PageFn<A, R>, arg?: A): Promise<R> =>
    this.doc.evaluate(fn as never, arg as never) as Promise<R>;
  private find(target: TargetLike): Promise<ElementHandle<Element>> {
    return poll(async () => {
      const handle = await this.doc.evaluateHandle(findTarget, targetArg(target)).catch(() => null); // null: between documents
      const el = (handle?.asElement() ?? null) as ElementHandle<Element> | null;
      if (!el) await handle?.dispose();
      return el;
    }, describeTarget(target));
  }
  click = async (target: TargetLike) => (await this.find(target)).click();
  fill = async (target: TargetLike, value: string) => {
    const el = await this.find(target);
    await el.evaluate((input) => {
      (input as HTMLInputElement).focus();
      (input as HTMLInputElement).select();
    });
    if (value === '') await el.press('Backspace');
    else await el.type(value);
  };
  press = async (target: TargetLike, key: string) => (await this.find(target)).press(key as 'Enter');
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
    return new FirefoxDoc(frame);
  };
}

class FirefoxTab extends FirefoxDoc implements Tab {
  constructor(readonly page: Page) {
    super(page);
  }

  url = () => hrefOf(this.page);
  goto = async (url: string) => {
    // A sign-in window closes as it reaches the extension's redirect URL: the navigation never finishes.
    await Promise.race([this.page.goto(url).catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
  };
  reload = async () => {
    // (puppeteer may still say about:blank for a moz-extension page whose load BiDi did not report)
    if (!(await hrefOf(this.page)).startsWith(EXTENSION_ORIGIN)) {
      await this.page.reload();
      return;
    }
    await this.page.evaluate(() => {
      (window as unknown as { __ttgOld?: boolean }).__ttgOld = true;
      location.reload();
    });
    await until(this.page, 'the reloaded page', () => !(window as unknown as { __ttgOld?: boolean }).__ttgOld, null);
    await waitForContent(this.page, null);
  };
  close = () => this.page.close();
  bringToFront = () => this.page.bringToFront();
  setViewport = (width: number, height: number) => this.page.setViewport({ width, height });
  screenshot = async (file: string) => {
    await this.page.screenshot({ path: file as `${string}.png` });
  };

  readClipboard = () => this.page.evaluate(() => navigator.clipboard.readText());
}

/**
 * Where a tab is. puppeteer can still say about:blank for a moz-extension page whose load BiDi did not report (e.g.
 * one the extension opened in a popup window): then ask the page itself.
 */
async function hrefOf(page: Page): Promise<string> {
  const known = page.url();
  if (known !== 'about:blank') return known;
  const asked = page.evaluate(() => location.href).catch(() => known);
  return Promise.race([asked, new Promise<string>((r) => setTimeout(() => r(known), 1_000))]);
}

/** Sends a raw WebDriver BiDi command on puppeteer's connection (for Firefox's chrome scope). */
async function bidi<T>(browser: Browser, method: string, params: object): Promise<T> {
  const connection = (browser as unknown as { connection: { send(m: string, p: object): Promise<{ result: T }> } })
    .connection;
  return (await connection.send(method, params)).result;
}

/** Runs `expression` (awaited) in the browser's chrome scope and returns its string result. */
async function inChromeScope(browser: Browser, expression: string): Promise<string> {
  const tree = await bidi<{ contexts: { context: string }[] }>(browser, 'browsingContext.getTree', {
    'moz:scope': 'chrome',
    maxDepth: 0,
  });
  const out = await bidi<{ type: string; result?: { value?: unknown }; exceptionDetails?: { text: string } }>(
    browser,
    'script.evaluate',
    {
      expression,
      target: { context: tree.contexts[0]!.context },
      awaitPromise: true,
    },
  );
  if (out.type !== 'success') throw new Error(`chrome scope: ${out.exceptionDetails?.text ?? 'failed'}`);
  return String(out.result?.value);
}

export function firefoxDriver({ browser, addonId }: FirefoxWithExtension): Driver {
  const extensionUrl = (file: string) => `${EXTENSION_ORIGIN}/${file}`;
  let helper: Promise<Page> | null = null;
  /** An extension page to run extension-API code in: an open one, else a popup.html tab of our own. */
  const extensionPage = async (): Promise<Page> => {
    const open = (await browser.pages()).find(
      (p) => p.url().startsWith(`${EXTENSION_ORIGIN}/`) && !p.url().includes('_generated_background_page'),
    );
    if (open) return open;
    helper ??= (async () => {
      const page = await browser.newPage();
      void page.goto(extensionUrl('popup.html')).catch(() => undefined);
      await waitForContent(page, extensionUrl('popup.html'));
      page.once('close', () => (helper = null));
      return page;
    })();
    return helper;
  };

  return {
    browserName: 'firefox',
    extensionUrl,
    async openGmail(url: string, respond: MailResponder) {
      const page = await browser.newPage();
      await page.setRequestInterception(true);
      page.on('request', (request) => {
        const u = request.url();
        if (u.startsWith('https://mail.google.com/')) {
          void Promise.resolve(respond({ url: u, navigation: request.isNavigationRequest() }))
            .then((r) =>
              request.respond({ status: r.status, contentType: r.contentType, headers: r.headers, body: r.body }),
            )
            .catch(() => request.abort().catch(() => undefined));
        } else if (LOCAL.test(u)) void request.continue().catch(() => undefined);
        else void request.abort().catch(() => undefined);
      });
      await page.goto(url).catch((e: Error) => {
        throw new Error(`Opening ${url} in Firefox: ${e.message}`);
      });
      return new FirefoxTab(page);
    },
    async openExtensionPage(file: string) {
      const page = await browser.newPage();
      const url = extensionUrl(file);
      void page.goto(url).catch(() => undefined); // may never report the load: wait for the content instead
      await waitForContent(page, url);
      return new FirefoxTab(page);
    },
    async waitForTab(match) {
      const page = await poll(
        async () => {
          for (const p of await browser.pages()) if (match(await hrefOf(p))) return p;
          return null;
        },
        'a tab with a matching URL',
        15_000,
      );
      return new FirefoxTab(page);
    },
    extension: async <R, A>(fn: PageFn<A, R>, arg?: A) =>
      (await extensionPage()).evaluate(fn as never, arg as never) as Promise<R>,
    async stopBackground() {
      const state = await inChromeScope(
        browser,
        `(async () => { const ext = WebExtensionPolicy.getByID(${JSON.stringify(addonId)}).extension; await ext.terminateBackground(); return String(ext.backgroundState); })()`,
      );
      if (state !== 'stopped') throw new Error(`The event page did not stop (state: ${state})`);
    },
    async permissionPrompt(tab) {
      const held = () =>
        tab.evaluate(
          async () =>
            (
              await (
                globalThis as unknown as { browser: { permissions: { getAll(): Promise<{ origins?: string[] }> } } }
              ).browser.permissions.getAll()
            ).origins ?? [],
          null,
        );
      const before = await held();
      return { grantedOrigins: async () => (await held()).filter((o) => !before.includes(o)) };
    },
  };
}
