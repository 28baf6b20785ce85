/**
 * `npm run test:firefox`: the shared e2e scenarios (tests/scenarios) in real Firefox (firefox-esr, puppeteer-core over
 * WebDriver BiDi) with the built `.output/firefox-mv3`. Playwright Test is only the runner here, with the Chromium
 * suite's settings: each test launches its own Firefox (tests/firefox/fixtures.ts).
 */
import { defineConfig } from '@playwright/test';
import chromium from './playwright.config';

export default defineConfig({
  ...chromium,
  testDir: 'tests/firefox',
  globalSetup: './tests/firefox/global-setup.ts',
  timeout: 90_000, // a Firefox launch per test, on a busy machine
  outputDir: 'test-results/firefox',
});
