/**
 * The Gmail content script's `webextension-polyfill`: wxt.config.ts aliases the polyfill to this module in the
 * content-script build only (bundle budget, issue 3). Everything the content script calls is native and
 * promise-based in both Chrome MV3 and Firefox (i18n.getMessage/getUILanguage, runtime.sendMessage,
 * storage.local.get, storage.onChanged), so the ~9 kB wrapper buys nothing there. Pages and the worker keep the polyfill.
 */
import type Browser from 'webextension-polyfill';

const g = globalThis as unknown as { browser?: { runtime?: { id?: string } }; chrome?: unknown };
const native = (g.browser?.runtime?.id ? g.browser : g.chrome) as unknown as typeof Browser;
export default native;
