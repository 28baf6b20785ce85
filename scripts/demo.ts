/**
 * `npm run demo`: the built extension in Chromium on the live Gmail replica, fed by the loopback sandbox with one
 * realistic day of mail (scripts/demo-day.ts).
 *
 * - No Chromium yet: installs it with scripts/install-chromium.sh (the same script .ci/run uses), saying so, or
 *   prints the one command to run where it cannot (not root, no apt) and exits without a stack trace.
 * - Headed when a display exists; otherwise it says so, saves screenshots outside the repository (a temporary
 *   folder it names, or TTG_DEMO_SHOTS; `npm run screenshots` points that at docs/screenshots) and exits.
 *   A demo run never changes tracked files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { findChromium } from '../tests/support/chromium';
import { EXTENSION_DIR, extensionIdOf, launchWithExtension, serviceWorkerOf } from '../tests/support/extension';
import { openReplica } from '../tests/support/gmail-replica';
import { control, useSandboxService } from '../tests/support/sandbox';
import { startSandboxServer } from '../utils/sandbox/http-server';
import { TIKTOK_DAY, extraMail, secondsUntil } from './demo-day';

const GMAIL = 'alex.rivera.demo@gmail.com';
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const SHOTS = path.resolve(process.env.TTG_DEMO_SHOTS ?? path.join(tmpdir(), 'tiktok-gmail-link-demo'));

/** A Chromium to run, installing one if needed; false (the reason already printed) when there is none. */
function ensureChromium(): boolean {
  try {
    findChromium();
    return true;
  } catch {
    const install = spawnSync('bash', [path.resolve('scripts/install-chromium.sh')], { stdio: 'inherit' });
    if (install.status !== 0) return false;
    try {
      findChromium();
      return true;
    } catch (e) {
      console.error((e as Error).message);
      return false;
    }
  }
}

/** The day's TikTok mail from the sandbox, each at its time on the sandbox clock; returns that day (YYYY-MM-DD). */
async function simulateDay(sandboxUrl: string): Promise<string> {
  let day = '';
  let clock = Date.now();
  for (const { at, body } of TIKTOK_DAY) {
    const advance = secondsUntil(at, clock);
    await control(sandboxUrl, 'clock', { advance_s: advance });
    clock += advance * 1000;
    const { email } = await control<{ email: { sent_at: string } }>(sandboxUrl, 'simulate', {
      ...body,
      to_gmail: GMAIL,
    });
    day ||= email.sent_at.slice(0, 10);
  }
  return day;
}

async function screenshots(context: BrowserContext, gmail: Page, popup: Page): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await gmail
    .locator('ttg-chip')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => {});
  await gmail.waitForTimeout(800);
  await gmail.screenshot({ path: path.join(SHOTS, 'demo-gmail.png') });
  await gmail.locator('tr.zA').filter({ hasText: 'sent you a message' }).locator('.bA4').click();
  await gmail
    .locator('ttg-inline')
    .first()
    .waitFor({ timeout: 15_000 })
    .catch(() => {});
  await gmail.waitForTimeout(800);
  await gmail.screenshot({ path: path.join(SHOTS, 'demo-thread.png') });
  await popup.screenshot({ path: path.join(SHOTS, 'demo-popup.png') });
  console.log(
    `No display found, so the demo ran headless and saved demo-gmail.png, demo-thread.png and demo-popup.png in ${SHOTS}`,
  );
  console.log(
    `To load the extension yourself: chrome://extensions → Developer mode → Load unpacked → ${EXTENSION_DIR}`,
  );
  await context.close();
}

async function main(): Promise<number> {
  if (!ensureChromium()) return 1;
  const server = await startSandboxServer({ port: Number(process.env.PORT ?? 0) });
  console.log(`Loopback sandbox: ${server.url}`);
  try {
    const context = await launchWithExtension({ headless: !headed });
    const id = await extensionIdOf(context);
    await useSandboxService(await serviceWorkerOf(context), server.url);
    const day = await simulateDay(server.url);
    const gmail = await openReplica(context, {
      sandboxUrl: server.url,
      gmail: GMAIL,
      accountIndex: 0,
      layout: 'primary',
      extra: extraMail(day),
    });
    await gmail.setViewportSize({ width: 1440, height: 900 });
    for (const blank of context.pages().filter((p) => p.url() === 'about:blank')) await blank.close(); // Chromium's first tab
    const popup = await context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(`chrome-extension://${id}/popup.html`);
    if (headed) {
      await gmail.bringToFront();
      console.log('Chromium is open with the extension on the Gmail replica. Close the browser window to stop.');
      await new Promise<void>((resolve) => context.on('close', () => resolve()));
    } else {
      await screenshots(context, gmail, popup);
    }
    return 0;
  } finally {
    await server.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(`The demo stopped: ${(e as Error)?.message ?? e}`);
    process.exit(1);
  },
);
