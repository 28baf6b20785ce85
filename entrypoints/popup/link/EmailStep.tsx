/**
 * Step 1: send a code to the Gmail address chosen at the top of the popup. The step is a form, and the address field
 * belongs to it (`form=` on the field), so Enter in the field sends the code. While the service makes the address
 * wait (too many codes this hour, or one sent a moment ago) Send code is disabled and counts down.
 */
import { Button } from '@/components/Button';
import { t } from '@/utils/i18n';
import { duration } from './explain';

export const EMAIL_FORM_ID = 'link-email-form';

export function EmailStep({
  gmail,
  busy,
  waitSeconds,
  onSend,
}: {
  gmail: string;
  busy: boolean;
  waitSeconds: number;
  onSend: () => void;
}) {
  const address = gmail.trim();
  const onSubmit = (e: Event) => {
    e.preventDefault();
    if (address && !busy && waitSeconds <= 0) onSend();
  };
  return (
    <form id={EMAIL_FORM_ID} class="step" onSubmit={onSubmit} noValidate>
      <h2 tabIndex={-1}>{t('popup_step_email_title')}</h2>
      <p id="email-explain">{address ? t('popup_step_email_text', address) : t('popup_step_email_empty')}</p>
      <Button
        type="submit"
        kind="primary"
        busy={busy}
        disabled={!address || waitSeconds > 0}
        describedBy="email-explain"
      >
        {waitSeconds > 0 ? t('popup_send_code_in', duration(waitSeconds)) : t('popup_send_code')}
      </Button>
    </form>
  );
}
