import browser from 'webextension-polyfill';
import { defineBackground } from 'wxt/utils/define-background';
import { registerHandlers } from '@/utils/messaging/router';
import * as activity from './activity';
import * as ads from './ads';
import * as emailNotifications from './email-notifications';
import * as events from './events';
import * as extensionPages from './extension-pages';
import * as gmailReports from './gmail-reports';
import * as gmailTabs from './gmail-tabs';
import * as inlineFrames from './inline-frames';
import * as linkFlow from './link-flow';
import * as linkStatus from './link-status';
import * as notifications from './notifications';
import * as options from './options';
import * as outbox from './outbox';
import * as sandboxBridge from './sandbox-bridge';
import * as sandboxSignIn from './sandbox-signin';
import * as serviceInfo from './service-info';
import { currentMode } from './service';

export default defineBackground(() => {
  // Every listener is registered synchronously here, so any event can wake a stopped worker.
  // Each feature file exports its `handlers` (and a `start()` that adds its listeners); merge them here.
  registerHandlers({
    ping: async () => ({ version: browser.runtime.getManifest().version, mode: await currentMode() }),
    ...gmailTabs.handlers,
    ...gmailReports.handlers,
    ...extensionPages.handlers,
    ...inlineFrames.handlers,
    ...linkFlow.handlers,
    ...linkStatus.handlers,
    ...sandboxSignIn.handlers,
    ...activity.handlers,
    ...outbox.handlers,
    ...events.handlers,
    ...ads.handlers,
    ...sandboxBridge.handlers,
    ...options.handlers,
    ...serviceInfo.handlers,
    ...emailNotifications.handlers,
  });
  gmailTabs.start();
  inlineFrames.start();
  notifications.start();
  events.start();
  outbox.start();
  serviceInfo.start();
});
