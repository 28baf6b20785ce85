/**
 * What the options page asks the worker: test the service connection, export and clear the user's data, and the
 * diagnostics report (no emails, usernames or tokens in it).
 */
import browser from 'webextension-polyfill';
import { AppError, isAppError } from '@/utils/api/errors';
import { t } from '@/utils/i18n';
import type { Handlers } from '@/utils/messaging/router';
import { readSettings } from '@/utils/storage/settings';
import { clearVault } from '@/utils/storage/vault';
import { clearBadge } from './badge';
import { healthItem } from './events-state';
import { diagnosticsItem } from './gmail-reports';
import { draftsItem, outboxItem } from './outbox';
import { clientFor, forgetEmbeddedSandbox, sessionGmails } from './service';
import { refreshServiceInfo } from './service-info';

/** The service URL as shown to people: origin only, never credentials or paths. */
function describeService(mode: 'sandbox' | 'service', baseUrl: string | null): string {
  if (mode === 'sandbox') return t('options_service_sandbox');
  if (!baseUrl) return 'not set';
  try {
    return new URL(baseUrl).origin;
  } catch {
    return 'invalid URL';
  }
}

/** Gmail's view (`#inbox`, `#search`...) and nothing after it: a search query or label name could be personal. */
const viewName = (urlView: string) =>
  urlView
    .split('/')[0]!
    .replace(/[^#a-z_-]/gi, '')
    .slice(0, 24);

export const handlers: Handlers = {
  serviceTest: async ({ base_url }) => {
    const mode = base_url ? 'service' : (await readSettings()).service.mode;
    const client = await clientFor({ baseUrl: base_url, maxRetries: 0 });
    const started = performance.now();
    try {
      await client.listLinks({ limit: 1 });
    } catch (e) {
      // An answer that refuses a call without a session still proves the service is there and speaks the API.
      if (!isAppError(e) || e.code !== 'access_token_invalid') {
        const why = isAppError(e) ? e.message : String(e);
        throw new AppError(isAppError(e) ? e.code : 'unreachable', `Connection test failed: ${why}`);
      }
    }
    const latency_ms = Math.round(performance.now() - started);
    // What it can do (API 1.1): a typed URL is only described, the configured service's answer is kept for the pages.
    const info = await (base_url ? client.service() : refreshServiceInfo()).catch(() => null);
    return { latency_ms, mode, info };
  },
  exportData: async () => {
    const drafts = await draftsItem.get();
    return {
      exported_at: new Date().toISOString(),
      settings: await readSettings(),
      outbox: Object.values((await outboxItem.get()).entries),
      drafts: Object.fromEntries(Object.entries(drafts).map(([key, d]) => [key, d.text])),
    };
  },
  clearAll: async () => {
    forgetEmbeddedSandbox();
    await clearVault();
    await browser.storage.session.clear();
    await browser.storage.local.clear();
    await browser.alarms.clearAll();
    await browser.notifications
      .getAll()
      .then((all) => Promise.all(Object.keys(all).map((id) => browser.notifications.clear(id))));
    await clearBadge();
    return { ok: true };
  },
  diagnostics: async () => {
    const settings = await readSettings();
    const version = browser.runtime.getManifest().version;
    const service = describeService(settings.service.mode, settings.service.base_url);
    const gmail = await diagnosticsItem.getValue();
    const entries = Object.values((await outboxItem.get()).entries);
    const byStatus = (s: string) => entries.filter((e) => e.status === s).length;
    const health = Object.values(await healthItem.get());
    // In the browser's language (the user reads it before sending it); names of settings and selectors stay as they are.
    const onOff = (on: boolean) => t(on ? 'report_on' : 'report_off');
    const report = [
      `TikTok Gmail Link ${version}`,
      t('report_browser', navigator.userAgent),
      t('report_service', service),
      t('report_linked', (await sessionGmails()).length),
      t('report_attention', health.filter((h) => h !== 'ok').length),
      t('report_outbox', [byStatus('queued'), byStatus('sending'), byStatus('draft'), byStatus('sent')]),
      gmail
        ? `${t('report_gmail', [gmail.checked_at, viewName(gmail.url_view), t(gmail.ok ? 'report_gmail_ok' : 'report_gmail_problems')])}\n` +
          Object.entries(gmail.matched)
            .map(([name, m]) => `  ${t('report_gmail_part', [name, m.count, m.via ?? t('report_gmail_nothing')])}`)
            .join('\n')
        : t('report_gmail_none'),
      t('report_settings', [
        settings.gmail.kinds.length,
        onOff(settings.gmail.quick_actions),
        onOff(settings.gmail.impersonation_warnings),
        settings.notifications.kinds.join(', '),
        settings.notifications.poll_minutes,
        onOff(settings.notifications.quiet_hours.enabled),
      ]),
    ].join('\n');
    return { version, mode: settings.service.mode, service, gmail, report };
  },
};
