/** Replies the service refused for good (kept as drafts, never dropped): why, and Retry or Discard. */
import { useEffect, useState } from 'preact/hooks';
import { Button } from '@/components/Button';
import { StatusLine } from '@/components/StatusLine';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { OutboxEntry } from '@/utils/messaging/catalogue';
import { draftFallbackUrl } from '@/utils/tiktok-urls';

export function DraftsTab({ gmail }: { gmail: string }) {
  const [drafts, setDrafts] = useState<OutboxEntry[] | null>(null);
  const [message, setMessage] = useState('');

  const load = () =>
    void send('outboxList', gmail.trim() ? { gmail: gmail.trim() } : {}).then((r) =>
      r.ok ? setDrafts(r.data.filter((e) => e.status === 'draft')) : setMessage(r.error.message),
    );
  useEffect(load, [gmail]);

  const act = async (name: 'outboxRetry' | 'outboxDiscard', entry: OutboxEntry) => {
    const r = await send(name, { entry_id: entry.entry_id });
    setMessage(
      r.ok ? (name === 'outboxRetry' ? t('popup_draft_requeued') : t('popup_draft_discarded')) : r.error.message,
    );
    load();
  };

  if (drafts === null) return <StatusLine tone="info" text={message || t('popup_loading')} />;
  return (
    <div class="drafts">
      <h2>{t('popup_drafts_title')}</h2>
      {drafts.length === 0 && <p>{t('popup_drafts_none')}</p>}
      <ul>
        {drafts.map((entry) => (
          <li key={entry.entry_id}>
            <p class="draft-target">{t('popup_draft_to', `@${entry.target.username}`)}</p>
            <p class="draft-text">{entry.text}</p>
            {entry.error && <p class="draft-why">{entry.error.message}</p>}
            <div class="row">
              {entry.error?.code === 'not_supported' ? (
                // The service cannot send it (API 1.1): retrying changes nothing; the text is written in TikTok instead.
                draftFallbackUrl(entry) && (
                  <a class="btn primary" href={draftFallbackUrl(entry)!} target="_blank" rel="noopener noreferrer">
                    {t('inline_open_in_tiktok')}
                  </a>
                )
              ) : (
                <Button kind="primary" onClick={() => void act('outboxRetry', entry)}>
                  {t('popup_retry')}
                </Button>
              )}
              <Button onClick={() => void act('outboxDiscard', entry)}>{t('popup_discard')}</Button>
            </div>
          </li>
        ))}
      </ul>
      {message && <StatusLine tone="info" text={message} />}
    </div>
  );
}
