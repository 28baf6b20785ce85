/**
 * Replies of one target as the outbox holds them: sent (with time), in flight ("Sending…" / "Will retry"), or refused
 * for good and kept as a draft with the reason and Edit / Resend / Discard. A draft the service cannot send at all
 * (API 1.1 `not_supported`) offers Open in TikTok instead of Resend: the text stays, to copy there.
 */
import type { OutboxEntry } from '@/utils/messaging/catalogue';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { draftFallbackUrl } from '@/utils/tiktok-urls';
import { OpenInTikTok } from '@/components/OpenInTikTok';
import { timeOfDay } from './format';

function statusLine(entry: OutboxEntry): { text: string; tone: 'ok' | 'muted' | 'error' } {
  switch (entry.status) {
    case 'sent': {
      const time = timeOfDay(entry.result?.sent_at ?? entry.updated_at);
      return entry.result?.comment_status === 'pending_review'
        ? { text: t('inline_sent_pending_review', time), tone: 'muted' }
        : { text: t('inline_sent_at', time), tone: 'ok' };
    }
    case 'draft':
      return { text: t('inline_not_sent', entry.error?.message ?? ''), tone: 'error' };
    default:
      return entry.attempts > 0 && entry.error
        ? { text: t('inline_will_retry', entry.error.message), tone: 'muted' }
        : { text: t('inline_sending'), tone: 'muted' };
  }
}

export function OutboxEntries(props: {
  entries: OutboxEntry[];
  onChanged: () => void;
  onEdit: (entry: OutboxEntry) => void;
}) {
  if (props.entries.length === 0) return null;
  const act = async (sending: Promise<unknown>) => {
    await sending;
    props.onChanged();
  };
  return (
    <ul class="entries" aria-label={t('inline_your_replies')}>
      {props.entries.map((entry) => {
        const line = statusLine(entry);
        return (
          <li key={entry.entry_id} class="entry" data-status={entry.status} data-testid="outbox-entry">
            <div class="text">{entry.text}</div>
            <div class={line.tone} role="status">
              {line.text}
            </div>
            {entry.status === 'draft' && (
              <div class="row">
                <button type="button" class="btn chip" onClick={() => props.onEdit(entry)}>
                  {t('inline_edit')}
                </button>
                {entry.error?.code === 'not_supported' ? (
                  <OpenInTikTok url={draftFallbackUrl(entry)} chip />
                ) : (
                  <button
                    type="button"
                    class="btn chip"
                    onClick={() => act(send('outboxRetry', { entry_id: entry.entry_id }))}
                  >
                    {t('inline_resend')}
                  </button>
                )}
                <button
                  type="button"
                  class="btn chip danger"
                  onClick={() => act(send('outboxDiscard', { entry_id: entry.entry_id }))}
                >
                  {t('inline_discard')}
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
