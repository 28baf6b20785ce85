import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { registerHandlers } from '@/utils/messaging/router';
import { readSettings } from '@/utils/storage/settings';

export default defineBackground(() => {
  // Every listener is registered synchronously here so a stopped worker is woken by any of them.
  registerHandlers({
    ping: async () => ({ version: browser.runtime.getManifest().version, mode: (await readSettings()).service.mode }),
  });
});
