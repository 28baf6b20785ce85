/**
 * The Link tab: the persisted link flow of the chosen Gmail address (email → code → TikTok sign-in → linked),
 * with every failure explained and a way forward. Each step is stored by the worker, so closing the popup loses
 * nothing.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button } from '@/components/Button';
import { StatusLine } from '@/components/StatusLine';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { LinkFlow, LinkState, Result, ResultError } from '@/utils/messaging/catalogue';
import { useFoundCodes } from './code-source';
import { CodeStep } from './CodeStep';
import { EmailStep } from './EmailStep';
import { explain, retryAt, stampRetryAt } from './explain';
import { LinkedStatus } from './LinkedStatus';
import { LinkHelp } from './LinkHelp';
import { SignInStep } from './SignInStep';

interface Props {
  gmail: string;
  setGmail: (gmail: string) => void;
  sandbox: boolean;
}

const keyOf = (gmail: string) => gmail.trim().toLowerCase();
/** Failures after which step 1 must wait before asking for a code again. */
const WAITS = new Set(['rate_limit_exceeded', 'too_many_attempts']);
const looksLikeAddress = (gmail: string) => /^[^\s@]+@[^\s@]+$/.test(keyOf(gmail));

export function LinkTab({ gmail, setGmail, sandbox }: Props) {
  const key = keyOf(gmail);
  const [flow, setFlow] = useState<LinkFlow | null>(null);
  const [state, setState] = useState<LinkState | null>(null);
  const [error, setError] = useState<ResultError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState('');
  const [now, setNow] = useState(Date.now());
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  /** How many codes were refused: each refusal empties the boxes and puts the focus back in the first one. */
  const [attempt, setAttempt] = useState(0);
  const retry = useRef<(() => void) | null>(null);
  const tried = useRef(new Set<string>());
  const heading = useRef<HTMLDivElement>(null);

  const step = flow?.step ?? 'email';
  const found = useFoundCodes(key, step === 'code', sandbox, flow?.code_sent_at ?? '');

  /** Counts the actions run (not the quiet reads), so a read answered after an action started is not shown over it. */
  const actions = useRef(0);
  /**
   * Runs one message; a failure is shown with its way forward and can be retried as it was. A `quiet` read (the flow
   * of the address shown) leaves the buttons enabled, so Send code works while it is on its way.
   */
  async function run<T>(action: () => Promise<Result<T>>, onOk: (data: T) => void, onFail?: () => void, quiet = false): Promise<void> {
    if (!quiet) {
      actions.current++;
      setBusy(true);
    }
    setError(null);
    setNotice('');
    const r = await action();
    if (!quiet) setBusy(false);
    if (r.ok) {
      retry.current = null;
      onOk(r.data);
    } else {
      retry.current = () => void run(action, onOk, onFail);
      setError(stampRetryAt(r.error, Date.now()));
      onFail?.();
    }
  }

  const showFlow = (next: LinkFlow) => {
    setFlow(next);
    if (next.error) setError(stampRetryAt(next.error, Date.now()));
  };

  // The address being typed changes the flow shown; an answer for an address typed before is dropped.
  const shownKey = useRef(key);
  shownKey.current = key;
  const load = () => {
    if (!looksLikeAddress(gmail)) return setFlow(null);
    const asked = key;
    const since = actions.current;
    void run(
      () => send('linkFlow', { gmail: asked }),
      (next) => {
        if (shownKey.current !== asked || actions.current !== since) return;
        showFlow(next);
        if (next.step === 'linked') void run(() => send('linkState', { gmail: asked }), (s) => shownKey.current === asked && setState(s));
      },
      undefined,
      true,
    );
  };

  useEffect(() => {
    setError(null);
    setNotice('');
    setState(null);
    setCode('');
    setCheckedAt(null);
    load();
  }, [key]);
  useEffect(() => {
    if (flow) performance.mark('popup-flow-shown');
  }, [flow !== null]);
  // The clock ticks for the Resend countdown and for a failure's "try again in ..." (a lock, a rate limit).
  const waiting = typeof error?.details?.retry_at === 'string';
  useEffect(() => {
    if (step !== 'code' && !waiting && !flow?.next_code_at) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [step, waiting, flow?.next_code_at]);
  // A new step takes the focus (the first code box on the code step), but opening the popup leaves it where it is.
  const shownStep = useRef<string | null>(null);
  useEffect(() => {
    shownStep.current = null;
  }, [key]);
  useEffect(() => {
    if (!flow) return;
    const first = shownStep.current === null;
    shownStep.current = step;
    // Never take the focus from someone typing a Gmail address (each address shows its own step).
    if ((first && step === 'email') || document.activeElement?.id === 'gmail') return;
    const target = step === 'code' ? 'input' : 'h2';
    heading.current?.querySelector<HTMLElement>(target)?.focus();
  }, [step, flow !== null]);

  const sendCode = () =>
    run(
      () => send('linkStart', { gmail }),
      (next) => {
        tried.current.clear();
        setCode('');
        setGmail(next.gmail);
        showFlow(next);
        setNotice(t('popup_code_sent', next.gmail));
      },
    );
  const verify = (typed: string, fromGmail = false) => {
    tried.current.add(typed);
    setCode(typed);
    void run(
      () => send('linkVerify', { gmail: key, code: typed }),
      (next) => {
        showFlow(next);
        setNotice(fromGmail ? t('popup_code_from_gmail_accepted') : t('popup_code_accepted'));
      },
      // The worker kept what the failure changed (attempts left, expired, locked): show it, with empty boxes.
      () => {
        setCode('');
        setAttempt((n) => n + 1);
        void send('linkFlow', { gmail: key }).then((r) => r.ok && setFlow(r.data));
      },
    );
  };
  const resend = () =>
    run(
      () => send('linkResend', { gmail: key }),
      (next) => {
        showFlow(next);
        setCode('');
        setNotice(t('popup_code_sent', next.gmail));
      },
    );
  const restart = () => run(() => send('linkCancel', { gmail: key }), load);
  const signIn = () =>
    run(
      () => send('linkSignIn', { gmail: key }),
      (next) => {
        showFlow(next);
        setState(next.link && { gmail: key, link: next.link, health: 'ok' });
        setNotice(t('popup_linked_notice', next.link ? `@${next.link.tiktok.username}` : ''));
      },
    );
  const check = () =>
    run(
      () => send('linkConfirm', { gmail: key }),
      (next) => {
        setState(next);
        if (!next.link) load();
        setCheckedAt(Date.now());
        setNotice(next.health === 'ok' ? t('popup_check_ok') : next.health === 'unreachable' ? t('popup_err_unreachable') : '');
      },
    );
  const unlink = () =>
    run(
      () => send('unlink', { gmail: key }),
      () => {
        setState(null);
        setFlow(null);
        load();
        setNotice(t('popup_unlinked_notice', key));
      },
    );

  const health = state?.health ?? 'ok';
  /** The step itself already offers Sign in (step 3, or re-authorization): the failure then adds no second button. */
  const stepOffersSignIn = step === 'signin' || (step === 'linked' && health === 'reauth_required');
  const wayForward = (action: ReturnType<typeof explain>['action']) => {
    if (action === 'retry' && retry.current) return <Button onClick={retry.current}>{t('popup_retry')}</Button>;
    if (action === 'restart') return <Button onClick={step === 'code' ? sendCode : restart}>{step === 'code' ? t('popup_send_new_code') : t('popup_start_over')}</Button>;
    if (action === 'signin' && step === 'linked' && !stepOffersSignIn) return <Button onClick={signIn}>{t('popup_signin_again')}</Button>;
    return undefined;
  };
  const explained = error && explain(error, key, now, step);
  /** Step 1 waits while the service refuses new codes for this address (see `explain`), or the last code's countdown runs. */
  const waitAt = Math.max(step === 'email' && error && WAITS.has(error.code) ? (retryAt(error, now) ?? 0) : 0, step === 'email' ? Date.parse(flow?.next_code_at ?? '') || 0 : 0);
  const waitSeconds = Math.max(0, Math.ceil((waitAt - now) / 1000));

  // Live regions stay on the page so every change of their text is announced; once linked they sit under its buttons.
  const feedback = (
    <>
      <div role="alert" class="announce">
        {explained && <StatusLine live={false} tone="error" text={explained.text} action={wayForward(explained.action)} />}
        {!explained && health === 'unreachable' && (
          <StatusLine live={false} tone="error" text={t('popup_err_unreachable')} action={<Button onClick={check}>{t('popup_retry')}</Button>} />
        )}
      </div>
      <div role="status" aria-live="polite" class="announce">
        {!explained && notice && <StatusLine live={false} tone="success" text={notice} />}
      </div>
    </>
  );

  return (
    <div class="link-tab">
      <div ref={heading} class="steps" aria-busy={busy}>
        {step === 'email' && <EmailStep gmail={gmail} busy={busy} waitSeconds={waitSeconds} onSend={sendCode} />}
        {step === 'code' && flow?.verification && (
          <CodeStep
            verification={flow.verification}
            code={code}
            found={found}
            tried={tried.current}
            sandbox={sandbox}
            busy={busy}
            now={now}
            attempt={attempt}
            onCode={setCode}
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
            checkedAt={checkedAt}
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
