/**
 * What a reply to a TikTok message or comment is made of, shared by ReplyComposer and CommentReply: the target's
 * outbox entries (editable when refused), the kept draft, and the composer that queues the reply in the outbox.
 */
import type { ReplyTarget } from '@/utils/messaging/catalogue';
import { t } from '@/utils/i18n';
import { ComposerField } from './composer-field';
import { OutboxEntries } from './outbox-entries';
import { useDraft } from './use-draft';
import { useOutbox } from './use-outbox';
import { useReplySender } from './use-reply-sender';

export function useReply(gmail: string, target: ReplyTarget | null, draftKey: string) {
  const outbox = useOutbox(gmail, target);
  const draft = useDraft(draftKey);
  const sender = useReplySender(gmail, target, outbox.refresh);
  return { outbox, draft, sender };
}

/** The outbox entries, then the composer (not while `blocked` says why no reply can be written), then a send error. */
export function ReplyBox(props: {
  reply: ReturnType<typeof useReply>;
  username: string;
  max: number;
  autoFocus: boolean;
  blocked?: string | null;
}) {
  const { outbox, draft, sender } = props.reply;
  return (
    <>
      <OutboxEntries
        entries={outbox.entries}
        onChanged={outbox.refresh}
        onEdit={(entry) => {
          sender.edit(entry);
          draft.setText(entry.text);
        }}
      />
      {!props.blocked && draft.loaded && (
        <ComposerField
          label={t('inline_reply_to', props.username)}
          text={draft.text}
          max={props.max}
          busy={sender.busy}
          autoFocus={props.autoFocus}
          onInput={draft.setText}
          onSubmit={async (text) => {
            if (await sender.submit(text)) draft.setText('', true);
          }}
        />
      )}
      {sender.error && (
        <p class="error" role="alert">
          {sender.error}
        </p>
      )}
    </>
  );
}
