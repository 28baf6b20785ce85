/**
 * Options page scenario, run in Chromium (tests/e2e/options-service.spec.ts) and Firefox: choosing a service at a URL
 * asks the browser for that origin only (the per-origin permission request), and Test connection reaches it.
 */
import { expect } from '@playwright/test';
import type { Driver } from './driver';
import { count, eventually } from './support';

export async function chooseServiceWithPermission(d: Driver, serviceUrl: string): Promise<void> {
  const options = await d.openExtensionPage('options.html');
  const prompt = await d.permissionPrompt(options);
  const service = 'section[aria-labelledby="service-heading"]';
  const status = '[data-testid="service-status"]';
  await options.click({ css: [service, 'label.check'], text: 'A service at a URL' });
  await options.fill([service, 'input[type="url"]'], serviceUrl);
  await options.click({ css: [service, 'button[type="submit"]'], text: 'Use this service' });
  await eventually(() => options.text(status), `Now using the service at ${serviceUrl}.`);
  // That origin only; Firefox match patterns cannot name a port, so there it is that host (entrypoints/options/ServiceSection.tsx).
  const { protocol, hostname } = new URL(serviceUrl);
  expect(await prompt.grantedOrigins()).toEqual([
    d.browserName === 'firefox' ? `${protocol}//${hostname}/*` : `${serviceUrl}/*`,
  ]);
  // Sandbox tools are for the built-in sandbox only.
  expect(await count(options, 'section[aria-labelledby="sandbox-heading"]')).toBe(0);

  await options.click({ css: [service, 'button'], text: 'Test connection' });
  await expect
    .poll(() => options.text(status))
    .toMatch(new RegExp(`^Connected to ${serviceUrl.replace(/\./g, '\\.')} in \\d+ ms\\.$`));
}
