/** Step 3: sign in with TikTok (a browser window run by the service; the sandbox has its own consent page). */
import { Button } from '@/components/Button';
import { t } from '@/utils/i18n';

export function SignInStep({
  gmail,
  busy,
  onSignIn,
  onRestart,
}: {
  gmail: string;
  busy: boolean;
  onSignIn: () => void;
  onRestart: () => void;
}) {
  return (
    <div class="step">
      <h2 tabIndex={-1}>{t('popup_step_signin_title')}</h2>
      <p>{t('popup_step_signin_text', gmail)}</p>
      <div class="row">
        <Button kind="primary" busy={busy} onClick={onSignIn}>
          {t('popup_signin')}
        </Button>
        <Button disabled={busy} onClick={onRestart}>
          {t('popup_start_over')}
        </Button>
      </div>
    </div>
  );
}
