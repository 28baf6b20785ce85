/**
 * The embedded sandbox's TikTok sign-in and consent screen (opened by the worker during "Sign in with TikTok"):
 * choose one of the sandbox's TikTok accounts, then Allow or Deny (Escape closes it, which cancels). Clearly labelled
 * as the sandbox.
 */
import { useEffect, useState } from 'preact/hooks';
import { StatusLine } from '@/components/StatusLine';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { ResponseOf } from '@/utils/messaging/catalogue';

type Info = ResponseOf<'sandboxSignInInfo'>;

/** Reads who is signing in; asked again when the worker was stopped mid-answer (it is read-only, so retrying is safe). */
async function loadInfo(state: string, attempts = 4) {
  let r = await send('sandboxSignInInfo', { state });
  for (let i = 1; i < attempts && !r.ok && r.error.code === 'unreachable'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250 * i));
    r = await send('sandboxSignInInfo', { state });
  }
  return r;
}

export function Consent({ state }: { state: string }) {
  const [info, setInfo] = useState<Info | null>(null);
  const [chosen, setChosen] = useState<string | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  // Escape closes the window, as closing it does: the sign-in is cancelled and nothing is linked.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && window.close();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    void loadInfo(state).then((r) => {
      if (!r.ok) return setError(r.error.message);
      setInfo(r.data);
      setChosen(
        r.data.accounts.find((a) => a.email === r.data.gmail)?.username ?? r.data.accounts[0]?.username ?? null,
      );
    });
  }, [state]);

  const decide = async (username: string | null) => {
    setBusy(true);
    const r = await send('sandboxSignInDecide', { state, username });
    setBusy(false);
    if (!r.ok) setError(r.error.message);
  };

  return (
    <main class="consent">
      <p class="sandbox-label">{t('signin_sandbox_label')}</p>
      <h1>{t('signin_title')}</h1>
      {info && (
        <>
          <p>{t('signin_intro', info.gmail)}</p>
          <fieldset>
            <legend>{t('signin_choose_account')}</legend>
            {info.accounts.map((a) => (
              <label key={a.username} class="account">
                <input
                  type="radio"
                  name="account"
                  value={a.username}
                  checked={chosen === a.username}
                  onChange={() => setChosen(a.username)}
                />
                <span class="account-name">{a.display_name}</span> <span class="account-user">@{a.username}</span>{' '}
                <span class="account-meta">
                  {a.account_type === 'business' ? t('popup_account_business') : t('popup_account_personal')} ·{' '}
                  {a.email}
                </span>
              </label>
            ))}
          </fieldset>
          <h2>{t('signin_scopes_title')}</h2>
          <ul>
            <li>{t('signin_scope_profile')}</li>
            <li>{t('signin_scope_messages')}</li>
            <li>{t('signin_scope_comments')}</li>
          </ul>
          <div class="actions">
            <button type="button" class="deny btn-secondary" disabled={busy} onClick={() => void decide(null)}>
              {t('signin_deny')}
            </button>
            <button
              type="button"
              class="allow btn-primary"
              disabled={busy || !chosen}
              onClick={() => void decide(chosen)}
            >
              {t('signin_allow')}
            </button>
          </div>
        </>
      )}
      {error && <StatusLine tone="error" text={error} />}
    </main>
  );
}
