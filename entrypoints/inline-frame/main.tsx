/**
 * The composer frame (inline-frame.html, framed by the Gmail content script under a TikTok DM or comment email): the
 * conversation or comment, the outbox entries and the composer, in our own origin, so the Gmail page can neither read
 * their text nor type into them. What it shows comes from the background (`inlineFrameClaim` with the token of its
 * URL), not from the page; its keys that send or press wait for the user to be here (key-guard.ts).
 */
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { InlineFrameTarget } from '@/utils/messaging/catalogue';
import { profileUrl, videoUrl } from '@/utils/tiktok-urls';
import INLINE_CSS from '@/components/inline.css?inline';
import { GMAIL_ORIGIN, readLook, type FrameToPage } from '@/utils/frame-channel';
import { CommentReply } from './comment-reply';
import { guardKeys } from './key-guard';
import { ReplyComposer } from './reply-composer';
import FRAME_CSS from './frame.css?inline';

const toPage = (message: FrameToPage) => parent.postMessage(message, GMAIL_ORIGIN);

function Panel({ target }: { target: InlineFrameTarget }) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    const guard = guardKeys(window, target.focus, () => setHeld(true));
    const clear = (e: Event) => e.isTrusted && setHeld(false);
    window.addEventListener('pointerdown', clear, true);
    return () => {
      guard.stop();
      window.removeEventListener('pointerdown', clear, true);
    };
  }, []);
  const isMessage = target.kind === 'message';
  const tiktokUrl = videoUrl(target.video_owner ?? target.username, target.video_id) ?? profileUrl(target.username);
  return (
    <section
      class="panel"
      aria-label={isMessage ? t('inline_reply_on_tiktok') : t('inline_reply')}
      onKeyDown={(e) => {
        if (e.key === 'Tab') setHeld(false);
        if (e.key === 'Escape') toPage({ ttgFrame: 'close' });
      }}
    >
      {isMessage ? (
        <ReplyComposer gmail={target.gmail} username={target.username} autoFocus={target.focus} />
      ) : (
        <CommentReply
          gmail={target.gmail}
          username={target.username}
          videoId={target.video_id}
          tiktokUrl={tiktokUrl}
          autoFocus={target.focus}
        />
      )}
      {held && (
        <p class="muted" role="status" data-testid="keys-held">
          {t('inline_keys_held')}
        </p>
      )}
    </section>
  );
}

function applyLook(root: HTMLElement, data: unknown): void {
  const look = readLook(data);
  if (!look) return;
  root.dataset.theme = look.theme;
  root.dataset.density = look.density;
}

async function start(): Promise<void> {
  const style = document.createElement('style');
  style.textContent = INLINE_CSS + FRAME_CSS;
  document.head.append(style);
  const root = document.getElementById('app')!;
  const params = new URLSearchParams(location.hash.slice(1));
  applyLook(root, { ttgLook: { theme: params.get('theme'), density: params.get('density') } });
  // The look may come from the page as well: it only ever picks one of our two themes and densities.
  window.addEventListener('message', (e) => e.source === parent && applyLook(root, e.data));
  new ResizeObserver(() => toPage({ ttgFrame: 'height', height: root.getBoundingClientRect().height })).observe(root);

  const claimed = await send('inlineFrameClaim', { token: params.get('t') ?? '' });
  render(
    claimed.ok ? (
      <Panel target={claimed.data} />
    ) : (
      <p class="panel error" role="alert">
        {t('inline_frame_refused', claimed.error.message)}
      </p>
    ),
    root,
  );
  toPage({ ttgFrame: 'ready' });
}

void start();
