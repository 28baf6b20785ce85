/**
 * Firefox with the built extension (`.output/firefox-mv3`, `npm run build:firefox`), driven by puppeteer-core over
 * WebDriver BiDi: headless, a fresh temporary profile per launch, and a `close()` that always ends the process.
 *
 * - The add-on gets a fixed internal UUID through the `extensions.webextensions.uuids` pref, so its pages are at a
 *   known `moz-extension://<uuid>/...` before it is installed.
 * - `--remote-allow-system-access` lets BiDi open moz-extension:// pages and reach the browser's chrome scope, where
 *   the event page is stopped the way Firefox idles it out (`Extension.terminateBackground()`).
 * - Optional host permissions are granted without the doorhanger (`extensions.webextOptionalPermissionPrompts`):
 *   headless Firefox cannot show it; the request itself still goes through the real API.
 * - `dom.events.testing.asyncClipboard` lets a test read the clipboard the extension wrote.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

export const FIREFOX_EXTENSION_DIR = path.resolve(process.env.TTG_OUT_DIR ?? '.output', 'firefox-mv3');
/** The extension's internal UUID in every test profile (any fixed UUID works). */
export const EXTENSION_UUID = '7467676c-696e-4b00-8000-66697265666f';

export const FIREFOX_HELP =
  'No Firefox found. Install one with `sudo apt-get update && sudo apt-get install -y firefox-esr` (Debian/Ubuntu), ' +
  'or set FIREFOX_PATH to a Firefox 140+ binary.';

export function findFirefox(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`FIREFOX_PATH is set to ${fromEnv}, which does not exist. ${FIREFOX_HELP}`);
    return fromEnv;
  }
  for (const candidate of ['/usr/bin/firefox-esr', '/usr/bin/firefox']) if (existsSync(candidate)) return candidate;
  throw new Error(FIREFOX_HELP);
}

/** The add-on id from the built manifest (wxt.config.ts `browser_specific_settings.gecko.id`). */
export function addonId(): string {
  const manifestPath = path.join(FIREFOX_EXTENSION_DIR, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error(`No Firefox build at ${FIREFOX_EXTENSION_DIR}. Run \`npm run build:firefox\` first.`);
  const id = JSON.parse(readFileSync(manifestPath, 'utf8')).browser_specific_settings?.gecko?.id as string | undefined;
  if (!id) throw new Error(`${manifestPath} has no browser_specific_settings.gecko.id`);
  return id;
}

export interface FirefoxWithExtension {
  browser: Browser;
  addonId: string;
  /** Closes Firefox (killed if it does not exit within 10 s) and deletes its profile. */
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FirefoxWithExtension> {
  const id = addonId();
  const profile = mkdtempSync(path.join(tmpdir(), 'ttg-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: findFirefox(),
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
    args: ['--remote-allow-system-access'],
    protocolTimeout: 60_000,
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [id]: EXTENSION_UUID }),
      'extensions.webextOptionalPermissionPrompts': false,
      'dom.events.testing.asyncClipboard': true,
    },
  });
  const close = async () => {
    const proc = browser.process();
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const exited =
      proc && proc.exitCode === null && proc.signalCode === null
        ? new Promise((r) => proc.once('exit', r))
        : Promise.resolve();
    await Promise.race([browser.close().catch(() => undefined), sleep(10_000)]);
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await Promise.race([exited, sleep(5_000)]);
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  };
  try {
    await browser.installExtension(FIREFOX_EXTENSION_DIR);
  } catch (e) {
    await close();
    throw e;
  }
  return { browser, addonId: id, close };
}
