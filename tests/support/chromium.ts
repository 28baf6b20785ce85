/**
 * Where the tests, the demo and the benchmark find Chromium: CHROMIUM_PATH, then Playwright's own browser if one is
 * installed, then Debian's /usr/bin/chromium. Otherwise a message that says how to get one.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_HELP =
  'No Chromium found. Install one with `sudo apt-get update && sudo apt-get install -y chromium` ' +
  '(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium or Chrome for Testing binary. ' +
  'Branded Google Chrome 137+ cannot load unpacked extensions from the command line.';

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv))
      throw new Error(`CHROMIUM_PATH is set to ${fromEnv}, which does not exist. ${CHROMIUM_HELP}`);
    return fromEnv;
  }
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    /* Playwright has no browser of its own here */
  }
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  throw new Error(CHROMIUM_HELP);
}

/** Flags for a closed network: Chromium's own background traffic would only be refused. */
export const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];
