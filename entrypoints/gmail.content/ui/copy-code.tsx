/** "Copy code" for a code email, with a visible confirmation, and "Use code to link" for the link flow's code. */
import { useEffect, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';

const CONFIRM_MS = 2500;
/** The sender of the link flow's verification codes (service API §1). */
export const LINK_CODE_SENDER = 'register@account.tiktok.com';

export function CopyCode(props: { code: string; chip?: boolean }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), CONFIRM_MS);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.code);
      setState('copied');
    } catch {
      setState('failed');
    }
  };
  return (
    <>
      <button
        type="button"
        class={`btn primary${props.chip ? ' chip' : ''}`}
        onClick={copy}
        aria-label={t('inline_copy_code_label', props.code)}
      >
        {state === 'copied' ? t('inline_copied') : t('inline_copy_code')}
      </button>
      <span class={state === 'failed' ? 'error' : 'ok'} role="status">
        {state === 'failed' ? t('inline_copy_failed', props.code) : ''}
      </span>
    </>
  );
}

export function UseCodeToLink(props: { gmail: string }) {
  return (
    <button
      type="button"
      class="btn"
      onClick={() => void send('openExtensionPage', { page: 'link', gmail: props.gmail })}
    >
      {t('inline_use_code_to_link')}
    </button>
  );
}
