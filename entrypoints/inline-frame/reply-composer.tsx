/**
 * "Reply on TikTok" for a direct-message notification: the conversation with that @username (last messages as text),
 * the reply window (time left of 48 h, messages left of 10), and a composer whose replies go to the durable outbox.
 * When the window has expired or the quota is used, it says so and offers Open in TikTok instead.
 */
import { useEffect, useState } from 'preact/hooks';
import { MESSAGE_MAX } from '@/utils/api/rules';
import type { ResponseOf, ReplyTarget } from '@/utils/messaging/catalogue';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { MESSAGES_URL } from '@/utils/tiktok-urls';
import { timeLeft } from './format';
import { ReplyBox, useReply } from './reply-box';
import { useCountdownNow } from './use-now';
import { OpenInTikTok } from '@/components/OpenInTikTok';

type Context = ResponseOf<'conversationContext'>;
type ReplyWindow = NonNullable<Context['conversation']>['reply_window'];
const HISTORY = 4;
const QUOTA = 10;

/** Why no reply can be written now, given the window and its time left (`timeLeft`: null once it has passed). */
function blockedReason(window: ReplyWindow, left: string | null): string | null {
  if (window.state === 'expired' || left === null) return t('inline_window_expired');
  if (window.messages_remaining === 0) return t('inline_quota_used', QUOTA);
  return null;
}

function History(props: { username: string; messages: Context['messages'] }) {
  const last = props.messages.slice(-HISTORY); // oldest first (conversationContext)
  if (last.length === 0) return null;
  return (
    <ul class="history" aria-label={t('inline_recent_messages')}>
      {last.map((m) => (
        <li key={m.message_id} class={m.direction}>
          <span class="who">{m.direction === 'out' ? t('inline_you') : `@${props.username}`}</span>
          {m.text}
        </li>
      ))}
    </ul>
  );
}

export function ReplyComposer(props: { gmail: string; username: string; autoFocus: boolean }) {
  const [context, setContext] = useState<Context | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const conversation = context?.conversation ?? null;
  const target: ReplyTarget | null = conversation
    ? { kind: 'message', username: props.username, conversation_id: conversation.conversation_id }
    : null;
  const reply = useReply(props.gmail, target, `message:${props.gmail}:${props.username.toLowerCase()}`);
  const sentCount = reply.outbox.entries.filter((e) => e.status === 'sent').length;
  // The window of the latest reply sent after the conversation was loaded, else the conversation's.
  const latestSent = conversation
    ? reply.outbox.entries
        .filter((e) => e.result?.reply_window && e.result.sent_at > conversation.last_message_at)
        .pop()
    : undefined;
  const replyWindow = conversation ? (latestSent?.result?.reply_window ?? conversation.reply_window) : null;
  const now = useCountdownNow(replyWindow?.expires_at); // time left ticks down while the composer is open

  useEffect(() => {
    let alive = true;
    void send('conversationContext', { gmail: props.gmail, username: props.username }).then((r) => {
      if (!alive) return;
      // A reload after a reply that fails (the worker restarting) keeps what is shown: the composer stays usable.
      if (r.ok) {
        setContext(r.data);
        setLoadError(null);
      } else setLoadError(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [props.gmail, props.username, sentCount]);

  if (!context)
    return loadError ? (
      <p class="error" role="alert">
        {loadError}
      </p>
    ) : (
      <p class="muted">{t('inline_loading')}</p>
    );
  if (!conversation) {
    return (
      <div class="row">
        <span>{t('inline_no_conversation', props.username)}</span>
        <OpenInTikTok url={MESSAGES_URL} />
      </div>
    );
  }

  const window = replyWindow!;
  const left = timeLeft(window.expires_at, now);
  const blocked = blockedReason(window, left);

  return (
    <>
      <History username={props.username} messages={context.messages} />
      {blocked ? (
        <div class="row" data-testid="reply-blocked">
          <span class="error" role="alert">
            {blocked}
          </span>
          <OpenInTikTok url={MESSAGES_URL} primary />
        </div>
      ) : (
        <p class="muted" data-testid="reply-window">
          {left} · {t('inline_messages_left', [window.messages_remaining, QUOTA])}
        </p>
      )}
      <ReplyBox
        reply={reply}
        username={props.username}
        max={MESSAGE_MAX}
        autoFocus={props.autoFocus}
        blocked={blocked}
      />
    </>
  );
}
