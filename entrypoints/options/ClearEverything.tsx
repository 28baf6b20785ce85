import { useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { Status, type StatusMessage } from './Status';

/** The linked Gmail address of the Gmail tab in use, if it has a live link to TikTok. */
async function linkedGmail(): Promise<string | null> {
  const active = await send('activeGmail', {});
  if (!active.ok || !active.data.gmail) return null;
  const state = await send('linkState', { gmail: active.data.gmail });
  return state.ok && state.data.link && state.data.link.status !== 'revoked' ? active.data.gmail : null;
}

/** Clear everything, offering to unlink from TikTok first (clearing alone leaves the grant on the service). */
export function ClearEverything() {
  const [confirming, setConfirming] = useState(false);
  const [linked, setLinked] = useState<string | null>(null);
  const [status, setStatus] = useState<StatusMessage | null>(null);

  const ask = async () => {
    setStatus(null);
    setConfirming(true);
    setLinked(await linkedGmail());
  };
  const unlink = async (gmail: string) => {
    const result = await send('unlink', { gmail });
    if (result.ok) setLinked(null);
    setStatus(
      result.ok
        ? { tone: 'ok', text: t('options_clear_unlinked', gmail) }
        : { tone: 'error', text: t('options_clear_unlink_failed', result.error.message) },
    );
  };
  const clear = async () => {
    const result = await send('clearAll', {});
    setConfirming(false);
    setStatus(
      result.ok
        ? { tone: 'ok', text: t('options_clear_done') }
        : { tone: 'error', text: t('options_clear_failed', result.error.message) },
    );
  };

  return (
    <div class="danger-zone">
      {!confirming && (
        <button type="button" class="btn-danger" onClick={() => void ask()}>
          {t('options_clear_button')}
        </button>
      )}
      {confirming && (
        <div role="group" aria-labelledby="clear-question">
          <p id="clear-question">{t('options_clear_question')}</p>
          {linked && (
            <button type="button" onClick={() => void unlink(linked)}>
              {t('options_clear_unlink_first', linked)}
            </button>
          )}
          <button type="button" class="btn-danger" onClick={() => void clear()}>
            {t('options_clear_confirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('options_cancel')}
          </button>
        </div>
      )}
      <Status status={status} testId="clear-status" />
    </div>
  );
}
