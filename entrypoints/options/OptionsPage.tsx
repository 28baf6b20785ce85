import { t } from '@/utils/i18n';
import { DiagnosticsSection } from './DiagnosticsSection';
import { EmailsSection } from './EmailsSection';
import { GmailSection } from './GmailSection';
import { NotificationsSection } from './NotificationsSection';
import { PrivacySection } from './PrivacySection';
import { SandboxTools } from './SandboxTools';
import { ServiceSection } from './ServiceSection';
import { useSettings } from './useSettings';

export function OptionsPage() {
  const { settings, save, saveFailed } = useSettings();
  if (!settings) return <main aria-busy="true" />;
  return (
    <main>
      <h1>{t('options_title')}</h1>
      {saveFailed && (
        <p class="status error" role="alert">
          {t('options_save_failed')}
        </p>
      )}
      <ServiceSection settings={settings} save={save} />
      {settings.service.mode === 'sandbox' && <SandboxTools />}
      <GmailSection settings={settings} save={save} />
      <NotificationsSection settings={settings} save={save} />
      <EmailsSection service={`${settings.service.mode} ${settings.service.base_url ?? ''}`} />
      <PrivacySection />
      <DiagnosticsSection />
    </main>
  );
}
