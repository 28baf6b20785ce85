/**
 * `npm test`: type-check, the house rules (ESLint, Prettier's check, knip), build (Chrome and Firefox), run every Vitest
 * test, the Playwright e2e tests in Chromium and the shared scenarios in Firefox (`playwright.firefox.config.ts`), then
 * print one line `N passed, N failed` summing all of them (CI reads that line). Exits non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findChromium } from '../tests/support/chromium';
import { findFirefox } from '../tests/firefox/firefox';

const ART = path.resolve('tests/.artifacts');
mkdirSync(ART, { recursive: true });
const run = (cmd: string, args: string[], env: Record<string, string> = {}) =>
  spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

let passed = 0;
let failed = 0;
const step = (name: string, ok: boolean) => {
  console.log(`${ok ? '✓' : '✗'} ${name}`);
  ok ? passed++ : failed++;
};

try {
  findChromium();
  findFirefox();
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

step('typecheck (tsc --noEmit)', run('npx', ['tsc', '--noEmit']) === 0);
// The house rules (issue 19), one test each: import boundaries and function length, formatting, nothing unused.
step('lint (eslint: import boundaries, function length)', run('npx', ['eslint', '.']) === 0);
step('format (prettier --check)', run('npx', ['prettier', '--check', '--log-level', 'warn', '.']) === 0);
step('unused files, exports, dependencies (knip)', run('npx', ['knip']) === 0);
const built = run('npx', ['wxt', 'build']) === 0;
step('build (wxt build)', built);

const vitestJson = path.join(ART, 'vitest.json');
rmSync(vitestJson, { force: true });
run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
if (existsSync(vitestJson)) {
  const v = JSON.parse(readFileSync(vitestJson, 'utf8'));
  passed += v.numPassedTests;
  failed += v.numFailedTests + (v.numFailedTestSuites ?? 0);
} else {
  step('vitest produced a report', false);
}

/** Runs a Playwright suite (`config` or the default one) and adds its counts. */
function playwright(name: string, config: string[]): void {
  const json = path.join(ART, `${name}.json`);
  rmSync(json, { force: true });
  run('npx', ['playwright', 'test', ...config, '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: json });
  if (existsSync(json)) {
    const s = JSON.parse(readFileSync(json, 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  } else {
    step(`${name} produced a report`, false);
  }
}

if (built) playwright('playwright', []);
const builtFirefox = run('npx', ['wxt', 'build', '-b', 'firefox', '--mv3']) === 0;
step('build (wxt build -b firefox --mv3)', builtFirefox);
if (builtFirefox) playwright('playwright-firefox', ['-c', 'playwright.firefox.config.ts']);

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
