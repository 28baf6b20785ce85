/**
 * `npm run test:firefox`: the shared e2e scenarios (tests/scenarios) in real Firefox (firefox-esr, puppeteer-core over
 * WebDriver BiDi) with the built `.output/firefox-mv3`. Playwright Test is only the runner here: each test launches its
 * own Firefox (tests/firefox/fixtures.ts).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/firefox',
  globalSetup: './tests/firefox/global-setup.ts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results/firefox',
});
