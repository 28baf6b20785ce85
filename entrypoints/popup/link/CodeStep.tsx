/**
 * Step 2: the 6-digit code; the codes Gmail (or the sandbox mailbox) showed since it was sent are offered, one click
 * each, never used by themselves (code-source.ts says why); Resend with a countdown. After a refused code the boxes
 * are empty and the first one has the focus (`attempt` counts the refusals); while the address is locked nothing can
 * be typed, verified or resent.
 */
import { Button } from '@/components/Button';
import { CodeInput } from '@/components/CodeInput';
import type { Verification } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import type { FoundCodes } from './code-source';
import { duration } from './explain';

interface Props {
  verification: Verification;
  code: string;
  found: FoundCodes;
  /** Codes already tried in this attempt: offered no more. */
  tried: ReadonlySet<string>;
  sandbox: boolean;
  busy: boolean;
  now: number;
  attempt: number;
  onCode: (code: string) => void;
  onVerify: (code: string, fromGmail?: boolean) => void;
  onResend: () => void;
  onRestart: () => void;
}

export function CodeStep({
  verification,
  code,
  found,
  tried,
  sandbox,
  busy,
  now,
  attempt,
  onCode,
  onVerify,
  onResend,
  onRestart,
}: Props) {
  const resendIn = Math.ceil((Date.parse(verification.resend_after) - now) / 1000);
  const locked = verification.status === 'locked';
  return (
    <div class="step">
      <h2 tabIndex={-1}>{t('popup_step_code_title')}</h2>
      <p>
        {sandbox
          ? t('popup_step_code_text_sandbox', verification.email)
          : t('popup_step_code_text', verification.email)}
      </p>
      {sandbox && (
        <p class="sandbox-note">
          <span>{found.sandbox ? t('popup_sandbox_code', found.sandbox) : t('popup_sandbox_waiting')}</span>
          {found.sandbox && (
            <Button disabled={busy || locked} onClick={() => onVerify(found.sandbox!)}>
              {t('popup_use_sandbox_code')}
            </Button>
          )}
        </p>
      )}
      {found.gmail.length > 0 && (
        <div class="found-note" data-testid="gmail-codes">
          <p>
            {found.gmail.length === 1 ? t('popup_code_from_gmail') : t('popup_codes_from_gmail', found.gmail.length)}
          </p>
          <div class="row">
            {found.gmail.map((offered) => (
              <Button
                key={offered}
                disabled={busy || locked || tried.has(offered)}
                onClick={() => onVerify(offered, true)}
              >
                {t('popup_use_gmail_code', offered)}
              </Button>
            ))}
          </div>
        </div>
      )}
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
