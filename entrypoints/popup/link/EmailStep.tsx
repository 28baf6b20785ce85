/** Step 1: send a code to the Gmail address chosen at the top of the popup. */
import { Button } from '@/components/Button';
import { t } from '@/utils/i18n';

export function EmailStep({ gmail, busy, onSend }: { gmail: string; busy: boolean; onSend: () => void }) {
  return (
    <div class="step">
      <h2 tabIndex={-1}>{t('popup_step_email_title')}</h2>
      <p id="email-explain">{gmail.trim() ? t('popup_step_email_text', gmail.trim()) : t('popup_step_email_empty')}</p>
      <Button kind="primary" busy={busy} disabled={!gmail.trim()} onClick={onSend} describedBy="email-explain">
        {t('popup_send_code')}
      </Button>
    </div>
  );
}
