/** Launch Chromium with the built extension loaded, as tests, the demo and the benchmark do. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Worker } from '@playwright/test';
import { CHROMIUM_ARGS, findChromium } from './chromium';

export const EXTENSION_DIR = path.resolve(process.env.TTG_OUT_DIR ?? '.output', 'chrome-mv3');

export function assertBuilt(): void {
  if (!existsSync(path.join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No built extension at ${EXTENSION_DIR}. Run \`npm run build\` first.`);
  }
}

export async function launchWithExtension(
  opts: { headless?: boolean; locale?: string; userDataDir?: string } = {},
): Promise<BrowserContext> {
  assertBuilt();
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(tmpdir(), 'ttg-profile-'));
  const args = [...CHROMIUM_ARGS, `--disable-extensions-except=${EXTENSION_DIR}`, `--load-extension=${EXTENSION_DIR}`];
  if (opts.locale) args.push(`--lang=${opts.locale}`);
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: findChromium(),
    headless: opts.headless ?? true,
    args,
    locale: opts.locale,
    viewport: { width: 1280, height: 800 },
  });
  // Nothing leaves the machine: Gmail is served from fixtures by each test, every other remote host is refused.
  await context.route(/^https?:\/\/(?!mail\.google\.com|127\.0\.0\.1|localhost)/, (route) => route.abort());
  return context;
}

export async function serviceWorkerOf(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
}

export async function extensionIdOf(context: BrowserContext): Promise<string> {
  return new URL((await serviceWorkerOf(context)).url()).host;
}
