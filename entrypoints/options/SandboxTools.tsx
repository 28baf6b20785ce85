import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { Status, type StatusMessage } from './Status';

const SIMULATIONS = [
  { type: 'message', label: 'options_sandbox_message' },
  { type: 'comment', label: 'options_sandbox_comment' },
  { type: 'follower', label: 'options_sandbox_follower' },
  { type: 'ads_request', label: 'options_sandbox_ads_request' },
] as const satisfies readonly { type: string; label: MessageKey }[];

/** Lets a new user try every feature with no server: the embedded sandbox sends TikTok-like activity. */
export function SandboxTools() {
  const [gmail, setGmail] = useState('');
  const [status, setStatus] = useState<StatusMessage | null>(null);
  useEffect(() => {
    void send('activeGmail', {}).then((r) => r.ok && r.data.gmail && setGmail((typed) => typed || r.data.gmail!));
  }, []);

  const simulate = async (type: (typeof SIMULATIONS)[number]['type'], label: MessageKey) => {
    const to = gmail.trim();
    if (!to) {
      setStatus({ tone: 'error', text: t('options_sandbox_need_gmail') });
      return;
    }
    const result = await send('sandboxControl', { action: 'simulate', body: { type, to_gmail: to } });
    setStatus(
      result.ok
        ? { tone: 'ok', text: t('options_sandbox_sent', [t(label), to]) }
        : { tone: 'error', text: t('options_sandbox_failed', result.error.message) },
    );
  };

  return (
    <section aria-labelledby="sandbox-heading">
      <h2 id="sandbox-heading">{t('options_sandbox_heading')}</h2>
      <p class="hint">{t('options_sandbox_intro')}</p>
      <label>
        {t('options_sandbox_gmail_label')}
        <input type="email" value={gmail} onInput={(e) => setGmail(e.currentTarget.value)} />
      </label>
      <div class="row">
        {SIMULATIONS.map(({ type, label }) => (
          <button key={type} type="button" onClick={() => void simulate(type, label)}>
            {t(label)}
          </button>
        ))}
      </div>
      <Status status={status} testId="sandbox-status" />
    </section>
  );
}
