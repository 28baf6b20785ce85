/**
 * Step 2: the 6-digit code, filled in by itself when Gmail (or the sandbox mailbox) shows it; Resend with a countdown.
 * After a refused code the boxes are empty and the first one has the focus (`attempt` counts the refusals); while the
 * address is locked nothing can be typed, verified or resent.
 */
import { Button } from '@/components/Button';
import { CodeInput } from '@/components/CodeInput';
import type { Verification } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import type { FoundCode } from './code-source';
import { duration } from './explain';

interface Props {
  verification: Verification;
  code: string;
  found: FoundCode | null;
  sandbox: boolean;
  busy: boolean;
  now: number;
  attempt: number;
  onCode: (code: string) => void;
  onVerify: (code: string) => void;
  onResend: () => void;
  onRestart: () => void;
}

export function CodeStep({ verification, code, found, sandbox, busy, now, attempt, onCode, onVerify, onResend, onRestart }: Props) {
  const resendIn = Math.ceil((Date.parse(verification.resend_after) - now) / 1000);
  const locked = verification.status === 'locked';
  return (
    <div class="step">
      <h2 tabIndex={-1}>{t('popup_step_code_title')}</h2>
      <p>{sandbox ? t('popup_step_code_text_sandbox', verification.email) : t('popup_step_code_text', verification.email)}</p>
      {sandbox && (
        <p class="sandbox-note">
          <span>{found?.source === 'sandbox' ? t('popup_sandbox_code', found.code) : t('popup_sandbox_waiting')}</span>
          {found?.source === 'sandbox' && (
            <Button disabled={busy || locked} onClick={() => onVerify(found.code)}>
              {t('popup_use_sandbox_code')}
            </Button>
          )}
        </p>
      )}
      {found?.source === 'gmail' && <p class="found-note">{t('popup_code_from_gmail')}</p>}
      <CodeInput
        label={t('popup_code_label')}
        digitLabel={(n) => t('popup_code_digit', n)}
        value={code}
        onChange={onCode}
        onComplete={onVerify}
        disabled={busy || locked}
        resetKey={attempt}
      />
      <div class="row">
        <Button kind="primary" busy={busy} disabled={locked || !/^\d{6}$/.test(code)} onClick={() => onVerify(code)}>
          {t('popup_verify')}
        </Button>
        <Button disabled={busy || locked || resendIn > 0} onClick={onResend}>
          {resendIn > 0 && !locked ? t('popup_resend_in', duration(resendIn)) : t('popup_resend')}
        </Button>
        <Button kind="quiet" disabled={busy} onClick={onRestart}>
          {t('popup_change_address')}
        </Button>
      </div>
    </div>
  );
}
