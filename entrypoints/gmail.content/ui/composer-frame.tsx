/**
 * The composer under a TikTok DM or comment email, as a frame of our own page (inline-frame.html): the conversation
 * and the draft never enter the Gmail page. This side only asks the background for a frame pinned to the email's
 * target (kind, @username, video), frames it, sizes it to its content, hands it Gmail's look, focuses it when the user
 * opened it, and closes it on the frame's Escape. Messages from the frame are taken only from that frame's window and
 * our origin; they change nothing but the frame's height and whether it is open.
 */
import browser from '../native-browser';
import { useEffect, useRef, useState } from 'preact/hooks';
import { send } from '@/utils/messaging';
import type { RequestOf } from '@/utils/messaging/catalogue';
import { t } from '@/utils/i18n';
import { readFrameMessage, type PageToFrame } from '@/utils/frame-channel';
import { currentLook } from '../ui/theme';

type FrameRequest = Omit<RequestOf<'inlineFrameOpen'>, 'focus'>;

const FRAME_PAGE = '/inline-frame.html';
const MIN_HEIGHT = 48;

/** `scheme://host` of a URL (URL.origin is "null" for extension URLs in some runtimes). */
const originOf = (url: string) => {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
};

export function ComposerFrame(props: { request: FrameRequest; focus: boolean; onClose: () => void }) {
  const [src, setSrc] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [height, setHeight] = useState(MIN_HEIGHT);
  const frame = useRef<HTMLIFrameElement>(null);
  const { kind, username, video_id, video_owner } = props.request;

  useEffect(() => {
    let alive = true;
    void send('inlineFrameOpen', { ...props.request, focus: props.focus }).then((r) => {
      if (!alive) return;
      if (!r.ok) return setError(r.error.message);
      const look = currentLook();
      const hash = new URLSearchParams({ t: r.data.token, theme: look.theme, density: look.density });
      setSrc(`${browser.runtime.getURL(FRAME_PAGE)}#${hash}`);
    });
    return () => {
      alive = false;
    };
  }, [kind, username, video_id, video_owner]);

  useEffect(() => {
    const el = frame.current;
    if (!src || !el) return;
    // Chrome loads the dynamic URL (use_dynamic_url) but the frame's documents report the extension's own origin.
    const origins = new Set([originOf(src), `${new URL(src).protocol}//${browser.runtime.id}`]);
    let origin = originOf(src);
    const onMessage = (e: MessageEvent) => {
      if (e.source !== el.contentWindow || !origins.has(e.origin)) return;
      origin = e.origin;
      const message = readFrameMessage(e.data);
      if (message?.ttgFrame === 'height') setHeight(Math.max(MIN_HEIGHT, message.height));
      else if (message?.ttgFrame === 'close') props.onClose();
      else if (message?.ttgFrame === 'ready') {
        el.contentWindow?.postMessage({ ttgLook: currentLook() } satisfies PageToFrame, origin);
        if (props.focus) el.focus();
      }
    };
    window.addEventListener('message', onMessage);
    // Gmail switching theme or density while the composer is open (theme.ts updates our root): the frame follows.
    const root = el.closest<HTMLElement>('.root');
    const watch = new MutationObserver(() =>
      el.contentWindow?.postMessage({ ttgLook: currentLook() } satisfies PageToFrame, origin),
    );
    if (root) watch.observe(root, { attributes: true, attributeFilter: ['data-theme', 'data-density'] });
    return () => {
      window.removeEventListener('message', onMessage);
      watch.disconnect();
    };
  }, [src]);

  if (error) {
    return (
      <p class="error" role="alert">
        {t('inline_frame_refused', error)}
      </p>
    );
  }
  if (!src) return <p class="muted">{t('inline_loading')}</p>;
  return (
    <iframe
      ref={frame}
      class="composer-frame"
      src={src}
      title={t('inline_frame_title')}
      data-ttg-frame={kind}
      style={{ height: `${height}px` }}
    />
  );
}
