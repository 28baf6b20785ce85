import preact from '@preact/preset-vite';
import path from 'node:path';
import { defineConfig } from 'wxt';

// See README "Permissions" for why each permission is here.
export default defineConfig({
  outDir: process.env.TTG_OUT_DIR ?? '.output', // separate builds for parallel test runs
  imports: false, // explicit imports everywhere: code reads the same in the extension, Vitest and Node
  modules: ['@wxt-dev/webextension-polyfill'],
  vite: () => ({ plugins: [preact()], build: { sourcemap: false } }),
  webExt: { disabled: true },
  hooks: {
    // The Gmail content script's bundle budget (docs/architecture.md "Content script"): the native promise-based API
    // instead of webextension-polyfill, a lean ContentScriptContext instead of WXT's (entrypoints/gmail.content/
    // native-browser.ts, script-context.ts), and classic JSX.
    'vite:build:extendConfig': (entrypoints, config) => {
      if (entrypoints.length !== 1 || entrypoints[0]!.name !== 'gmail') return; // content scripts build alone
      const local = (file: string) => path.resolve(config.root ?? process.cwd(), 'entrypoints/gmail.content', file);
      const aliases = [
        { find: /^webextension-polyfill$/, replacement: local('native-browser.ts') },
        { find: /^wxt\/utils\/content-script-context$/, replacement: local('script-context.ts') },
      ];
      // Classic JSX (`h(type, props, ...children)`): shorter at every element than the automatic runtime's
      // `jsx(type, { ...props, children })` and no jsx-runtime module; the same Preact elements.
      (config.plugins ??= []).push({
        name: 'ttg-classic-jsx',
        enforce: 'post', // after @preact/preset-vite, which asks for the automatic runtime
        config: () => ({
          oxc: {
            jsx: { runtime: 'classic', pragma: 'h', pragmaFrag: 'Fragment' },
            jsxInject: "import { h, Fragment } from 'preact';",
          },
        }),
      });
      config.resolve ??= {};
      const existing = config.resolve.alias;
      config.resolve.alias = Array.isArray(existing)
        ? [...aliases, ...existing]
        : [
            ...aliases,
            ...Object.entries(existing ?? {}).map(([find, replacement]) => ({
              find,
              replacement: replacement as string,
            })),
          ];
    },
  },
  manifest: ({ browser }) => ({
    name: '__MSG_extName__',
    description: '__MSG_extDescription__',
    default_locale: 'en',
    permissions: ['storage', 'alarms', 'notifications', 'identity'],
    // The service URL chosen in Options is requested at that moment, for that origin only.
    optional_host_permissions: ['https://*/*', 'http://127.0.0.1/*', 'http://localhost/*'],
    action: { default_title: '__MSG_extName__' },
    // The composer frame (docs/security.md §2): only Gmail may frame it. Chrome serves it from a per-session id
    // (`use_dynamic_url`) so no page can probe for the extension; Firefox has no such key (its moz-extension host is
    // already random per install) and warns on it, so it is left out there.
    web_accessible_resources: [
      {
        resources: ['inline-frame.html'],
        matches: ['https://mail.google.com/*'],
        ...(browser !== 'firefox' && { use_dynamic_url: true }),
      },
    ],
    ...(browser === 'firefox' && {
      browser_specific_settings: {
        gecko: {
          id: 'tiktok-gmail-link@example.org',
          // 140: first ESR with MV3 optional_host_permissions granted at runtime and built-in data consent.
          strict_min_version: '140.0',
          // Sandbox mode sends nothing anywhere; with a service URL, the Gmail address and the replies the user
          // writes go to that service (that is the feature), so Firefox asks for consent at install.
          data_collection_permissions: { required: ['personallyIdentifyingInfo', 'personalCommunications'] },
        },
        gecko_android: { strict_min_version: '142.0' }, // data consent on Android
      },
    }),
  }),
});
