/**
 * "Reply" for a comment or mention notification: finds that user's latest comment (on that video when the email names
 * it), and replies within TikTok's 150 characters, counted as TikTok counts them. Replies held for review say so.
 */
import { useEffect, useState } from 'preact/hooks';
import { COMMENT_MAX } from '@/utils/api/rules';
import type { ResponseOf, ReplyTarget } from '@/utils/messaging/catalogue';
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { ReplyBox, useReply } from './reply-box';
import { OpenInTikTok } from '@/components/OpenInTikTok';

type Comment = ResponseOf<'commentContext'>['comments'][number];

const latestBy = (comments: Comment[], username: string) =>
  comments
    .filter((c) => c.username.toLowerCase() === username.toLowerCase())
    .sort((a, b) => a.created_at.localeCompare(b.created_at))
    .pop() ?? null;

export function CommentReply(props: {
  gmail: string;
  username: string;
  videoId?: string;
  tiktokUrl: string | null;
  autoFocus: boolean;
}) {
  const [comment, setComment] = useState<Comment | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const target: ReplyTarget | null = comment
    ? { kind: 'comment', username: props.username, comment_id: comment.comment_id, video_id: comment.video_id }
    : null;
  const reply = useReply(
    props.gmail,
    target,
    `comment:${props.gmail}:${props.username.toLowerCase()}:${props.videoId ?? ''}`,
  );

  useEffect(() => {
    let alive = true;
    void send('commentContext', {
      gmail: props.gmail,
      username: props.username,
      ...(props.videoId && { video_id: props.videoId }),
    }).then((r) => {
      if (!alive) return;
      if (r.ok) setComment(latestBy(r.data.comments, props.username));
      else setLoadError(r.error.message);
    });
    return () => {
      alive = false;
    };
  }, [props.gmail, props.username, props.videoId]);

  if (loadError)
    return (
      <p class="error" role="alert">
        {loadError}
      </p>
    );
  if (comment === undefined) return <p class="muted">{t('inline_loading')}</p>;
  if (comment === null) {
    return (
      <div class="row">
        <span>{t('inline_no_comment', props.username)}</span>
        <OpenInTikTok url={props.tiktokUrl} />
      </div>
    );
  }

  return (
    <>
      <ul class="history" aria-label={t('inline_comment_replying_to')}>
        <li>
          <span class="who">@{comment.username}</span>
          {comment.text}
        </li>
      </ul>
      <ReplyBox reply={reply} username={props.username} max={COMMENT_MAX} autoFocus={props.autoFocus} />
    </>
  );
}
