/**
 * `npm test`: type-check, build, run every Vitest and Playwright test, then print one line `N passed, N failed`
 * summing all of them (CI reads that line). Exits non-zero when anything failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { findChromium } from '../tests/support/chromium';

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
} catch (e) {
  console.error((e as Error).message);
  process.exit(1);
}

step('typecheck (tsc --noEmit)', run('npx', ['tsc', '--noEmit']) === 0);
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

if (built) {
  const pwJson = path.join(ART, 'playwright.json');
  rmSync(pwJson, { force: true });
  run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: pwJson });
  if (existsSync(pwJson)) {
    const s = JSON.parse(readFileSync(pwJson, 'utf8')).stats;
    passed += s.expected + s.flaky;
    failed += s.unexpected;
  } else {
    step('playwright produced a report', false);
  }
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
