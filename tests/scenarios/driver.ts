/**
 * The browser driver the shared e2e scenarios (tests/scenarios/*.ts) run on, so one scenario runs in Chromium
 * (Playwright, tests/support/playwright-driver.ts) and in Firefox (puppeteer-core over WebDriver BiDi,
 * tests/firefox/driver.ts) without a second copy. Only what differs between the two browsers lives behind it:
 * opening pages (Gmail at its real https URL, extension pages), real input (click, fill, press), reading, evaluating,
 * the extension's background, the permission prompt and the clipboard.
 *
 * Elements are found by `Target`: CSS (a chain of steps, each searching inside the previous match and its open
 * shadow roots), optionally with the text they must contain. Both drivers look them up with the same in-page function
 * (`findTarget`), so a target means the same in both browsers; only visible elements match.
 */

/** CSS, or CSS whose element must contain a text (its text including open shadow roots) or match a pattern. */
export type Step = string | { css: string; text: string | RegExp };

export interface Target {
  /** CSS, or a chain of steps: each step is searched inside the previous matches, through open shadow roots. */
  css: Step | Step[];
  /** Text the last step's element must contain (its text including open shadow roots), or a pattern it must match. */
  text?: string | RegExp;
}

/** A target, or just its CSS (a string or a chain of steps). */
export type TargetLike = Target | string | Step[];

/** Function run in a page or the extension: it must be self-contained (it is serialised), like Playwright's evaluate. */
export type PageFn<A, R> = (arg: A) => R | Promise<R>;

export interface Evaluator {
  evaluate<R, A = undefined>(fn: PageFn<A, R>, arg?: A): Promise<R>;
}

/** A document to act in: a tab's page, or a frame inside it (see `Tab.frame`). */
export interface Doc extends Evaluator {
  /** Waits for the target to be visible, then clicks it with real input. */
  click(target: TargetLike): Promise<void>;
  /** Replaces the text of an input or textarea, typing as a user would. */
  fill(target: TargetLike, value: string): Promise<void>;
  /** Presses a key (`Enter`, `Escape`, ...) in the target. */
  press(target: TargetLike, key: string): Promise<void>;
  /** The visible target's text (through open shadow roots); waits for it to be visible. */
  text(target: TargetLike): Promise<string>;
  /** Whether the target is visible now (no waiting). */
  visible(target: TargetLike): Promise<boolean>;
  /** The document inside the (visible) iframe `target`, e.g. the extension's composer frame in Gmail. */
  frame(target: TargetLike): Promise<Doc>;
}

export interface Tab extends Doc {
  /** Where the tab is now (asked of the page when the driver does not know). */
  url(): Promise<string>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
  bringToFront(): Promise<void>;
  setViewport(width: number, height: number): Promise<void>;
  /** What `navigator.clipboard.readText()` gives in this page (the driver allows the page to read it). */
  readClipboard(): Promise<string>;
  /** Saves a PNG of the page. */
  screenshot(file: string): Promise<void>;
}

export interface MailRequest {
  url: string;
  /** A top-level document load (a navigation), as opposed to a fetch or a subresource. */
  navigation: boolean;
}
export interface MailResponse {
  status: number;
  contentType?: string;
  headers?: Record<string, string>;
  body: string;
}
/** Answers every request the page makes to https://mail.google.com (nothing reaches the real Gmail). */
export type MailResponder = (request: MailRequest) => MailResponse | Promise<MailResponse>;

export interface PermissionPrompt {
  /** The host origins the extension was granted through the browser's prompt since `permissionPrompt()`. */
  grantedOrigins(): Promise<string[]>;
}

export interface Driver {
  readonly browserName: 'chromium' | 'firefox';
  /** Opens `url` (https://mail.google.com/...) in a new tab, with every mail.google.com request answered by `respond`. */
  openGmail(url: string, respond: MailResponder): Promise<Tab>;
  /** Opens an extension page (`popup.html`, `options.html`...) in a new tab and waits for its content. */
  openExtensionPage(file: string): Promise<Tab>;
  /** The extension page URL of `file` (chrome-extension://<id>/file or moz-extension://<uuid>/file). */
  extensionUrl(file: string): string;
  /** Waits for a tab or window (e.g. the TikTok sign-in window) whose URL matches. */
  waitForTab(match: (url: string) => boolean): Promise<Tab>;
  /**
   * Runs `fn` in an extension context that has the extension's APIs (`chrome.storage`, `chrome.action`...): the
   * service worker in Chromium, an extension page in Firefox. Not for the background's own globals.
   */
  extension<R, A = undefined>(fn: PageFn<A, R>, arg?: A): Promise<R>;
  /** Stops the background (service worker / event page) as the browser does when it idles out; the next event starts it again. */
  stopBackground(): Promise<void>;
  /** From now on, the browser's host-permission prompt in `tab` is answered Allow. */
  permissionPrompt(tab: Tab): Promise<PermissionPrompt>;
}

/** `TTG_SCREENSHOTS=1` only (`npm run screenshots`): an ordinary run leaves the repository untouched. */
export async function saveTabScreenshot(tab: Tab, file: string): Promise<void> {
  if (process.env.TTG_SCREENSHOTS) await tab.screenshot(file);
}

export const toTarget = (t: TargetLike): Target => (typeof t === 'string' || Array.isArray(t) ? { css: t } : t);

interface StepArg {
  css: string;
  text: string | null;
  pattern: { source: string; flags: string } | null;
}

/** `Target` as it crosses into the page (a RegExp does not serialise). */
export interface TargetArg {
  steps: StepArg[];
  /** Return the element itself, or its text (through open shadow roots, whitespace collapsed). */
  want: 'element' | 'text';
}

const stepArg = (css: string, text: string | RegExp | undefined): StepArg => ({
  css,
  text: typeof text === 'string' ? text : null,
  pattern: text instanceof RegExp ? { source: text.source, flags: text.flags } : null,
});

export const targetArg = (t: TargetLike, want: TargetArg['want'] = 'element'): TargetArg => {
  const { css, text } = toTarget(t);
  const steps = (Array.isArray(css) ? css : [css]).map((step) =>
    typeof step === 'string' ? stepArg(step, undefined) : stepArg(step.css, step.text),
  );
  if (text !== undefined) steps[steps.length - 1] = stepArg(steps[steps.length - 1]!.css, text);
  return { steps, want };
};

export const describeTarget = (t: TargetLike): string =>
  targetArg(t)
    .steps.map(
      (s) =>
        `${s.css}${s.text !== null ? ` with text "${s.text}"` : s.pattern ? ` with text /${s.pattern.source}/` : ''}`,
    )
    .join(' >> ');

/**
 * In the page: the first visible element matching the target (or its text, see `want`), or null. Self-contained (it is
 * serialised into the page by both drivers).
 */
export const findTarget = (arg: TargetArg): Element | string | null => {
  const shadowRootsUnder = (scope: Element | Document | ShadowRoot): ShadowRoot[] => {
    const out: ShadowRoot[] = [];
    const visit = (root: Element | Document | ShadowRoot) => {
      if (root instanceof Element && root.shadowRoot) {
        out.push(root.shadowRoot);
        visit(root.shadowRoot);
      }
      for (const el of root.querySelectorAll('*')) {
        if (el.shadowRoot) {
          out.push(el.shadowRoot);
          visit(el.shadowRoot);
        }
      }
    };
    visit(scope);
    return out;
  };
  const deepText = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    let s = '';
    if (node instanceof Element && node.shadowRoot) s += deepText(node.shadowRoot);
    for (const child of node.childNodes) s += deepText(child);
    return s;
  };
  const visible = (el: Element) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const textOf = (el: Element) => deepText(el).replace(/\s+/g, ' ').trim();
  const hasText = (el: Element, step: StepArg) => {
    if (step.text === null && !step.pattern) return true;
    const text = textOf(el);
    if (step.text !== null && !text.includes(step.text)) return false;
    return !step.pattern || new RegExp(step.pattern.source, step.pattern.flags).test(text);
  };
  let scopes: (Element | Document)[] = [document];
  for (const step of arg.steps) {
    const next: Element[] = [];
    for (const scope of scopes) {
      for (const root of [scope, ...shadowRootsUnder(scope)]) {
        for (const el of root.querySelectorAll(step.css)) if (!next.includes(el) && hasText(el, step)) next.push(el);
      }
    }
    scopes = next;
  }
  const match = (scopes as Element[]).find(visible);
  if (!match) return null;
  return arg.want === 'text' ? textOf(match) : match;
};

/** Polls `probe` every 100 ms until it returns something other than null, or fails after `timeoutMs` with `what`. */
export async function poll<T>(probe: () => Promise<T | null>, what: string, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== null) return got;
    if (Date.now() > end) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
