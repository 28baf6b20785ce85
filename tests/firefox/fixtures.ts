/**
 * Playwright Test fixtures for the Firefox suite: `driver`, a fresh headless Firefox (its own temporary profile) with
 * the built extension, closed (and killed if need be) after each test whatever happened; `sandbox`, the test's own
 * loopback sandbox service.
 */
import { test as base } from '@playwright/test';
import type { Driver } from '../scenarios/driver';
import { startSandboxServer, type SandboxServer } from '@/utils/sandbox/http-server';
import { firefoxDriver } from './driver';
import { launchFirefox } from './firefox';

export const test = base.extend<{ driver: Driver; sandbox: SandboxServer }>({
  // eslint-disable-next-line no-empty-pattern
  driver: async ({}, use) => {
    const firefox = await launchFirefox();
    try {
      await use(firefoxDriver(firefox));
    } finally {
      await firefox.close();
    }
  },
  // eslint-disable-next-line no-empty-pattern
  sandbox: async ({}, use) => {
    const server = await startSandboxServer();
    await use(server);
    await server.close();
  },
});
