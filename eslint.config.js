/**
 * ESLint (`npm run lint`, a step of `npm test`): the house rules the build enforces (issue 19). Not a style guide
 * (Prettier formats), only what keeps the structure honest:
 * - import boundaries: `utils/` and `components/` never import an entry point, no entry point imports another, the
 *   server is never imported by the extension, the service core imports no deployment;
 * - the Gmail content script ships without zod and webextension-polyfill (its size budget): no value import of them
 *   or of the modules that carry zod (type imports are free);
 * - functions stay under 80 lines (tests exempt).
 */
import { readdirSync } from 'node:fs';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/** Each folder of `entrypoints/` is one entry point. */
const ENTRY_POINTS = readdirSync(new URL('./entrypoints', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

const boundaries = [
  { target: './utils', from: './entrypoints', message: 'utils/ is shared code: it never imports an entry point.' },
  {
    target: './components',
    from: './entrypoints',
    message: 'components/ is shared UI: it never imports an entry point.',
  },
  ...ENTRY_POINTS.map((name) => ({
    target: `./entrypoints/${name}`,
    from: './entrypoints',
    except: [`./${name}`],
    message: 'An entry point never imports another: move what both use to components/ or utils/.',
  })),
  {
    target: ['./entrypoints', './components', './utils'],
    from: './server',
    message: 'server/ runs on Node only: the extension never imports it.',
  },
  {
    target: './utils/service',
    from: ['./utils/sandbox', './entrypoints', './components'],
    message: 'The service core imports no deployment (docs/architecture.md).',
  },
];

/** What the content script must not bundle (value imports; `import type` is free). */
const SIZE_BUDGET = 'the Gmail content script ships without zod and webextension-polyfill (bundle budget)';
const contentScriptImports = {
  patterns: [
    { group: ['zod', 'zod/*'], allowTypeImports: true, message: `${SIZE_BUDGET}: read plain values instead.` },
    {
      group: ['webextension-polyfill'],
      allowTypeImports: true,
      message: `${SIZE_BUDGET}: import the native API from native-browser.ts.`,
    },
    {
      group: [
        '**/utils/api/schemas',
        '**/utils/api/client',
        '**/utils/messaging/catalogue',
        '**/utils/messaging/router',
        '**/utils/storage/settings',
        '**/utils/storage/vault',
        '**/utils/service/**',
        '**/utils/sandbox/**',
      ],
      allowTypeImports: true,
      message: `${SIZE_BUDGET}: this module carries zod; import its types only.`,
    },
  ],
};

export default defineConfig([
  globalIgnores([
    '.output*/',
    '.wxt/',
    '.data/',
    'node_modules/',
    'tests/.artifacts/',
    'test-results*/',
    'playwright-report/',
  ]),
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
    plugins: { 'import-x': importX, '@typescript-eslint': tseslint.plugin },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })] },
    // Comments that turn off rules of the usual presets (not enabled here) are left alone.
    linterOptions: { reportUnusedDisableDirectives: 'off' },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: boundaries }],
      'max-lines-per-function': ['error', { max: 80, skipBlankLines: true, skipComments: true, IIFEs: true }],
    },
  },
  {
    files: ['entrypoints/gmail.content/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', contentScriptImports] },
  },
  {
    files: ['tests/**'],
    rules: { 'max-lines-per-function': 'off' },
  },
]);
