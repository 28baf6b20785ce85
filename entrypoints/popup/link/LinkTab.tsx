/**
 * The Link tab: the persisted link flow of the chosen Gmail address (email → code → TikTok sign-in → linked),
 * with every failure explained and a way forward. Each step is stored by the worker, so closing the popup loses
 * nothing.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Button } from '@/components/Button';
import { StatusLine } from '@/components/StatusLine';
import { t } from '@/utils/i18n';
import type { LinkFlow, ResultError } from '@/utils/messaging/catalogue';
import { useFoundCodes } from './code-source';
import { CodeStep } from './CodeStep';
import { EmailStep } from './EmailStep';
import { explain, retryAt, type Explained } from './explain';
import { LinkedStatus } from './LinkedStatus';
import { LinkHelp } from './LinkHelp';
import { SignInStep } from './SignInStep';
import { useLinkFlow } from './useLinkFlow';

interface Props {
  gmail: string;
  setGmail: (gmail: string) => void;
  sandbox: boolean;
}

/** Failures after which step 1 must wait before asking for a code again. */
const WAITS = new Set(['rate_limit_exceeded', 'too_many_attempts']);

/** Step 1 waits while the service refuses new codes for this address (see `explain`), or the last code's countdown runs. */
function waitSecondsOf(step: LinkFlow['step'], flow: LinkFlow | null, error: ResultError | null, now: number): number {
  if (step !== 'email') return 0;
  const waitAt = Math.max(
    error && WAITS.has(error.code) ? (retryAt(error, now) ?? 0) : 0,
    Date.parse(flow?.next_code_at ?? '') || 0,
  );
  return Math.max(0, Math.ceil((waitAt - now) / 1000));
}

/** A new step takes the focus (the first code box on the code step), but opening the popup leaves it where it is. */
function useStepFocus(key: string, step: LinkFlow['step'], shown: boolean) {
  const heading = useRef<HTMLDivElement>(null);
  const shownStep = useRef<string | null>(null);
  useEffect(() => {
    shownStep.current = null;
  }, [key]);
  useEffect(() => {
    if (!shown) return;
    const first = shownStep.current === null;
    shownStep.current = step;
    // Never take the focus from someone typing a Gmail address (each address shows its own step).
    if ((first && step === 'email') || document.activeElement?.id === 'gmail') return;
    const target = step === 'code' ? 'input' : 'h2';
    heading.current?.querySelector<HTMLElement>(target)?.focus();
  }, [step, shown]);
  return heading;
}

/** Live regions stay on the page so every change of their text is announced; once linked they sit under its buttons. */
function Feedback(props: {
  explained: Explained | null;
  wayForward: ComponentChildren;
  unreachable: boolean;
  onCheck: () => void;
  notice: string;
}) {
  const { explained, notice } = props;
  return (
    <>
      <div role="alert" class="announce">
        {explained && <StatusLine live={false} tone="error" text={explained.text} action={props.wayForward} />}
        {!explained && props.unreachable && (
          <StatusLine
            live={false}
            tone="error"
            text={t('popup_err_unreachable')}
            action={<Button onClick={props.onCheck}>{t('popup_retry')}</Button>}
          />
        )}
      </div>
      <div role="status" aria-live="polite" class="announce">
        {!explained && notice && <StatusLine live={false} tone="success" text={notice} />}
      </div>
    </>
  );
}

export function LinkTab({ gmail, setGmail, sandbox }: Props) {
  const link = useLinkFlow(gmail, setGmail);
  const { key, flow, step, state, error, busy, now, retry } = link;
  const { sendCode, verify, resend, restart, signIn, check, unlink } = link.actions;
  const found = useFoundCodes(key, step === 'code', sandbox, flow?.code_sent_at ?? '');
  const heading = useStepFocus(key, step, flow !== null);

  const health = state?.health ?? 'ok';
  /** The step itself already offers Sign in (step 3, or re-authorization): the failure then adds no second button. */
  const stepOffersSignIn = step === 'signin' || (step === 'linked' && health === 'reauth_required');
  const wayForward = (action: Explained['action']) => {
    if (action === 'retry' && retry.current) return <Button onClick={retry.current}>{t('popup_retry')}</Button>;
    if (action === 'restart')
      return (
        <Button onClick={step === 'code' ? sendCode : restart}>
          {step === 'code' ? t('popup_send_new_code') : t('popup_start_over')}
        </Button>
      );
    if (action === 'signin' && step === 'linked' && !stepOffersSignIn)
      return <Button onClick={signIn}>{t('popup_signin_again')}</Button>;
    return undefined;
  };
  const explained = error && explain(error, key, now, step);
  const feedback = (
    <Feedback
      explained={explained}
      wayForward={explained && wayForward(explained.action)}
      unreachable={health === 'unreachable'}
      onCheck={check}
      notice={link.notice}
    />
  );

  return (
    <div class="link-tab">
      <div ref={heading} class="steps" aria-busy={busy}>
        {step === 'email' && (
          <EmailStep gmail={gmail} busy={busy} waitSeconds={waitSecondsOf(step, flow, error, now)} onSend={sendCode} />
        )}
        {step === 'code' && flow?.verification && (
          <CodeStep
            verification={flow.verification}
            code={link.code}
            found={found}
            tried={link.tried}
            sandbox={sandbox}
            busy={busy}
            now={now}
            attempt={link.attempt}
            onCode={link.setCode}
            onVerify={verify}
            onResend={resend}
            onRestart={restart}
          />
        )}
        {step === 'signin' && <SignInStep gmail={key} busy={busy} onSignIn={signIn} onRestart={restart} />}
        {step === 'linked' && flow?.link && (
          <LinkedStatus
            link={state?.link ?? flow.link}
            health={health}
            busy={busy}
            checkedAt={link.checkedAt}
            feedback={feedback}
            onCheck={check}
            onUnlink={unlink}
            onReauth={signIn}
          />
        )}
      </div>
      {step !== 'linked' && feedback}
      <LinkHelp folded={step !== 'email'} />
    </div>
  );
}
