// @vitest-environment node
/**
 * The built manifests ask for the fewest permissions that work, and the Firefox build passes `web-ext lint`.
 * Each build goes to its own directory so it never touches anyone else's `.output`.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const OUT_DIR = path.resolve('.output-manifest-test');
const BIN = path.resolve('node_modules/.bin');

async function build(target: 'chrome' | 'firefox'): Promise<string> {
  const args = target === 'chrome' ? ['build'] : ['build', '-b', 'firefox', '--mv3'];
  await run(path.join(BIN, 'wxt'), args, {
    env: { ...process.env, TTG_OUT_DIR: OUT_DIR },
    maxBuffer: 20 * 1024 * 1024,
  });
  return path.join(OUT_DIR, target === 'chrome' ? 'chrome-mv3' : 'firefox-mv3');
}

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory() ? filesUnder(path.join(dir, name)) : [path.join(dir, name)],
  );

type Manifest = Record<string, unknown> & {
  permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
};
const readManifest = (dir: string): Manifest => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));

const PERMISSIONS = ['alarms', 'identity', 'notifications', 'storage'];
const OPTIONAL_HOSTS = ['http://127.0.0.1/*', 'http://localhost/*', 'https://*/*'];

/** What the same checks look for in any build: no broad or fixed host access, nothing fetched as code. */
function expectMinimalAndLocal(dir: string) {
  const manifest = readManifest(dir);
  expect([...(manifest.permissions ?? [])].sort()).toEqual(PERMISSIONS);
  expect(manifest.host_permissions ?? []).toEqual([]);
  expect([...(manifest.optional_host_permissions ?? [])].sort()).toEqual(OPTIONAL_HOSTS);
  // One web-accessible page, the composer frame, and only Gmail may load it (dynamic URL in Chrome).
  const exposed = manifest.web_accessible_resources as {
    resources: string[];
    matches: string[];
    use_dynamic_url?: boolean;
  }[];
  expect(exposed.map(({ resources, matches }) => ({ resources, matches }))).toEqual([
    { resources: ['inline-frame.html'], matches: ['https://mail.google.com/*'] },
  ]);
  expect(exposed[0]!.use_dynamic_url).toBe(path.basename(dir).startsWith('firefox') ? undefined : true);
  expect(manifest).not.toHaveProperty('content_security_policy'); // the browser's default: no remote or inline script
  expect(manifest).not.toHaveProperty('externally_connectable');
  const scripts = (manifest.content_scripts as { matches: string[] }[] | undefined) ?? [];
  expect(scripts.flatMap((s) => s.matches)).toEqual(['https://mail.google.com/*']);
  expect(manifest.name).toBe('__MSG_extName__');
  expect(manifest.description).toBe('__MSG_extDescription__');
  expect(manifest.default_locale).toBe('en');

  // Remote code: every script a page loads is packaged, and no bundle loads code from the network.
  for (const file of filesUnder(dir)) {
    const text = readFileSync(file, 'utf8');
    if (file.endsWith('.html')) {
      for (const [, src] of text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g))
        expect(src, file).toMatch(/^\/?(?!\/)[^:]+$/);
    }
    if (file.endsWith('.js')) {
      expect(text, file).not.toMatch(/importScripts\(\s*["'`]https?:/);
      expect(text, file).not.toMatch(/import\(\s*["'`]https?:/);
      expect(text, file).not.toMatch(/\.src\s*=\s*["'`]https?:[^"'`]*\.js/);
    }
  }
}

describe('Chrome manifest (MV3)', () => {
  let dir = '';
  beforeAll(async () => {
    rmSync(path.join(OUT_DIR, 'chrome-mv3'), { recursive: true, force: true });
    dir = await build('chrome');
  }, 120_000);

  it('asks only for storage, alarms, notifications and identity, and for service origins only when chosen', () => {
    expect(readManifest(dir).manifest_version).toBe(3);
    expectMinimalAndLocal(dir);
  });

  it('ships the locales the manifest names', () => {
    expect(readdirSync(path.join(dir, '_locales')).sort()).toEqual(expect.arrayContaining(['en', 'es']));
    const en = JSON.parse(readFileSync(path.join(dir, '_locales/en/messages.json'), 'utf8'));
    expect(en.extName.message).toBeTruthy();
  });
});

describe('Firefox build (MV3)', () => {
  let dir = '';
  beforeAll(async () => {
    rmSync(path.join(OUT_DIR, 'firefox-mv3'), { recursive: true, force: true });
    dir = await build('firefox');
  }, 120_000);

  it('is MV3 with a gecko id and the same minimal permissions', () => {
    const manifest = readManifest(dir);
    expect(manifest.manifest_version).toBe(3);
    expect(manifest).toMatchObject({ browser_specific_settings: { gecko: { id: expect.stringContaining('@') } } });
    expectMinimalAndLocal(dir);
  });

  it('passes web-ext lint with no errors', async () => {
    // web-ext exits non-zero when there are errors; the JSON report is on stdout either way.
    const { stdout } = await run(
      path.join(BIN, 'web-ext'),
      ['lint', '--source-dir', dir, '--output', 'json', '--no-config-discovery'],
      {
        maxBuffer: 20 * 1024 * 1024,
      },
    ).catch((e: { stdout?: string }) => ({ stdout: e.stdout ?? '' }));
    const report = JSON.parse(stdout) as {
      errors: { code: string; message: string; file?: string }[];
      summary: { errors: number };
    };
    expect(report.errors.map((e) => `${e.code}: ${e.message} (${e.file ?? 'manifest'})`)).toEqual([]);
    expect(report.summary.errors).toBe(0);
  }, 60_000);
});
