import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { ClearEverything } from './ClearEverything';
import { Status, type StatusMessage } from './Status';

function download(json: unknown, fileName: string) {
  const url = URL.createObjectURL(new Blob([JSON.stringify(json, null, 2)], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function PrivacySection() {
  const [status, setStatus] = useState<StatusMessage | null>(null);
  const exportData = async () => {
    const result = await send('exportData', {});
    if (!result.ok) {
      setStatus({ tone: 'error', text: t('options_export_failed', result.error.message) });
      return;
    }
    download(result.data, `tiktok-gmail-link-${result.data.exported_at.slice(0, 10)}.json`);
    setStatus({ tone: 'ok', text: t('options_export_done') });
  };
  return (
    <section aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{t('options_privacy_heading')}</h2>
      <ul>
        <li>{t('options_privacy_settings')}</li>
        <li>{t('options_privacy_vault')}</li>
        <li>{t('options_privacy_gmail')}</li>
        <li>{t('options_privacy_network')}</li>
      </ul>
      <button type="button" onClick={() => void exportData()}>
        {t('options_export_button')}
      </button>
      <Status status={status} testId="export-status" />
      <ClearEverything />
    </section>
  );
}
