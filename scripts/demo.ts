/**
 * `npm run demo`: the built extension in Chromium on the live Gmail replica, fed by the loopback sandbox.
 * Headed when a display exists; otherwise it says so, takes screenshots into docs/screenshots/demo-*.png and exits.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { extensionIdOf, launchWithExtension, serviceWorkerOf } from '../tests/support/extension';
import { openReplica } from '../tests/support/gmail-replica';
import { useSandboxService, control } from '../tests/support/sandbox';
import { startSandboxServer } from '../utils/sandbox/http-server';

const GMAIL = 'alex.rivera.demo@gmail.com';
const headed = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);

const server = await startSandboxServer({ port: Number(process.env.PORT ?? 0) });
console.log(`Loopback sandbox: ${server.url}`);
const context = await launchWithExtension({ headless: !headed });
const id = await extensionIdOf(context);
await useSandboxService(await serviceWorkerOf(context), server.url);

// Give the replica something to show: a code, a message, a comment, a follower and an Ads request.
for (const type of ['message', 'comment', 'follower', 'ads_request'] as const) {
  await control(server.url, 'simulate', { type, to_gmail: GMAIL });
}
const gmail = await openReplica(context, { sandboxUrl: server.url, gmail: GMAIL, accountIndex: 0 });
const popup = await context.newPage();
await popup.setViewportSize({ width: 400, height: 640 });
await popup.goto(`chrome-extension://${id}/popup.html`);

if (headed) {
  console.log('Chromium is open with the extension on the Gmail replica. Close the browser window to stop.');
  await new Promise<void>((resolve) => context.on('close', () => resolve()));
} else {
  const dir = path.resolve('docs/screenshots');
  mkdirSync(dir, { recursive: true });
  await gmail.waitForTimeout(1500);
  await gmail.screenshot({ path: path.join(dir, 'demo-gmail.png') });
  await popup.screenshot({ path: path.join(dir, 'demo-popup.png') });
  console.log(`No display found, so the demo ran headless and wrote ${dir}/demo-gmail.png and demo-popup.png.`);
  console.log(`To load the extension yourself: chrome://extensions → Developer mode → Load unpacked → ${path.resolve('.output/chrome-mv3')}`);
  await context.close();
}
await server.close();
