/**
 * The Link tab's state and actions, apart from how they look: the worker's link flow of the address typed (each step is
 * a message; the worker keeps the flow, so the popup may close at any time), the link's health, the failure shown and
 * its retry, the notice after a success, and the clock that counts down resends and locks.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { looksLikeAddress, normaliseGmail } from '@/utils/gmail-address';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { LinkFlow, LinkState, Result, ResultError } from '@/utils/messaging/catalogue';
import { stampRetryAt } from './explain';

type Run = <T>(
  action: () => Promise<Result<T>>,
  onOk: (data: T) => void,
  onFail?: () => void,
  quiet?: boolean,
) => Promise<void>;

/** Runs messages one at a time for the buttons: busy while one runs, its failure (retryable as it was) or nothing. */
function useRunner() {
  const [error, setError] = useState<ResultError | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const retry = useRef<(() => void) | null>(null);
  /** Counts the actions run (not the quiet reads), so a read answered after an action started is not shown over it. */
  const actions = useRef(0);
  /**
   * Runs one message; a failure is shown with its way forward and can be retried as it was. A `quiet` read (the flow
   * of the address shown) leaves the buttons enabled, so Send code works while it is on its way.
   */
  const run: Run = async (action, onOk, onFail, quiet = false) => {
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
  };
  return { error, setError, notice, setNotice, busy, retry, actions, run };
}

/** `Date.now()`, ticking every second while `active`. */
function useClock(active: boolean, deps: unknown[]): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, deps);
  return now;
}

export function useLinkFlow(gmail: string, setGmail: (gmail: string) => void) {
  const key = normaliseGmail(gmail);
  const runner = useRunner();
  const { run, setError, setNotice } = runner;
  const [flow, setFlow] = useState<LinkFlow | null>(null);
  const [state, setState] = useState<LinkState | null>(null);
  const [code, setCode] = useState('');
  const [checkedAt, setCheckedAt] = useState<number | null>(null);
  /** How many codes were refused: each refusal empties the boxes and puts the focus back in the first one. */
  const [attempt, setAttempt] = useState(0);
  const tried = useRef(new Set<string>());
  const step = flow?.step ?? 'email';

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
    const since = runner.actions.current;
    const onFlow = (next: LinkFlow) => {
      if (shownKey.current !== asked || runner.actions.current !== since) return;
      showFlow(next);
      if (next.step === 'linked')
        void run(
          () => send('linkState', { gmail: asked }),
          (s) => shownKey.current === asked && setState(s),
        );
    };
    void run(() => send('linkFlow', { gmail: asked }), onFlow, undefined, true);
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
  const waiting = typeof runner.error?.details?.retry_at === 'string';
  const now = useClock(step === 'code' || waiting || !!flow?.next_code_at, [step, waiting, flow?.next_code_at]);

  const shared = { key, gmail, run, setNotice, showFlow, setFlow, setState, setCode, load };
  const actions = {
    ...codeActions({ ...shared, setGmail, tried: tried.current, refused: () => setAttempt((n) => n + 1) }),
    ...linkedActions({ ...shared, setCheckedAt }),
  };
  return { ...runner, key, flow, step, state, code, setCode, now, checkedAt, attempt, tried: tried.current, actions };
}

interface ActionContext {
  key: string;
  gmail: string;
  run: Run;
  setNotice: (notice: string) => void;
  showFlow: (flow: LinkFlow) => void;
  setFlow: (flow: LinkFlow | null) => void;
  setState: (state: LinkState | null) => void;
  setCode: (code: string) => void;
  load: () => void;
}

/** Steps 1 and 2: send a code (again), check one, start over. */
function codeActions(
  c: ActionContext & { setGmail: (gmail: string) => void; tried: Set<string>; refused: () => void },
) {
  const sendCode = () =>
    c.run(
      () => send('linkStart', { gmail: c.gmail }),
      (next) => {
        c.tried.clear();
        c.setCode('');
        c.setGmail(next.gmail);
        c.showFlow(next);
        c.setNotice(t('popup_code_sent', next.gmail));
      },
    );
  const verify = (typed: string, fromGmail = false) => {
    c.tried.add(typed);
    c.setCode(typed);
    void c.run(
      () => send('linkVerify', { gmail: c.key, code: typed }),
      (next) => {
        c.showFlow(next);
        c.setNotice(fromGmail ? t('popup_code_from_gmail_accepted') : t('popup_code_accepted'));
      },
      // The worker kept what the failure changed (attempts left, expired, locked): show it, with empty boxes.
      () => {
        c.setCode('');
        c.refused();
        void send('linkFlow', { gmail: c.key }).then((r) => r.ok && c.setFlow(r.data));
      },
    );
  };
  const resend = () =>
    c.run(
      () => send('linkResend', { gmail: c.key }),
      (next) => {
        c.showFlow(next);
        c.setCode('');
        c.setNotice(t('popup_code_sent', next.gmail));
      },
    );
  const restart = () => c.run(() => send('linkCancel', { gmail: c.key }), c.load);
  return { sendCode, verify, resend, restart };
}

/** Step 3 and after: sign in (again), check the link, unlink. */
function linkedActions(c: ActionContext & { setCheckedAt: (at: number) => void }) {
  const signIn = () =>
    c.run(
      () => send('linkSignIn', { gmail: c.key }),
      (next) => {
        c.showFlow(next);
        c.setState(next.link && { gmail: c.key, link: next.link, health: 'ok' });
        c.setNotice(t('popup_linked_notice', next.link ? `@${next.link.tiktok.username}` : ''));
      },
    );
  const check = () =>
    c.run(
      () => send('linkConfirm', { gmail: c.key }),
      (next) => {
        c.setState(next);
        if (!next.link) c.load();
        c.setCheckedAt(Date.now());
        c.setNotice(
          next.health === 'ok' ? t('popup_check_ok') : next.health === 'unreachable' ? t('popup_err_unreachable') : '',
        );
      },
    );
  const unlink = () =>
    c.run(
      () => send('unlink', { gmail: c.key }),
      () => {
        c.setState(null);
        c.setFlow(null);
        c.load();
        c.setNotice(t('popup_unlinked_notice', c.key));
      },
    );
  return { signIn, check, unlink };
}
