import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { registerHandlers } from '@/utils/messaging/router';
import { readSettings } from '@/utils/storage/settings';
import { handlers as ads } from './ads';

export default defineBackground(() => {
  // Every listener is registered synchronously here, so any event can wake a stopped worker.
  // Each feature file exports its `handlers` (and a `start()` that adds its listeners); merge them here.
  registerHandlers({
    ...ads,
    ping: async () => ({ version: browser.runtime.getManifest().version, mode: (await readSettings()).service.mode }),
  });
});
