/**
 * The row of inline actions under an open genuine TikTok email (after its body), one per kind of email: Reply on
 * TikTok, Reply, Follow back, Open in TikTok, Copy code, Use code to link, Review request. Actions that need the link
 * become "Link TikTok to reply" while this Gmail address is not linked.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { query } from '@/utils/gmail/selectors';
import { t } from '@/utils/i18n';
import { cleanUsername, MESSAGES_URL, openInTikTokUrl, profileUrl } from '@/utils/tiktok-urls';
import { subscribe, type Detected } from '../detected';
import { signedInAddress } from './report-account';
import { mountShadow } from '../ui/mount';
import { takeComposerRequest } from '../ui/pending-open';
import { offReason } from '../ui/capability';
import { needsLink, useLinkState } from '../ui/use-link-state';
import { CommentReply } from './comment-reply';
import { CopyCode, LINK_CODE_SENDER, UseCodeToLink } from './copy-code';
import { FollowBack } from './follow-back';
import { LinkPrompt } from './link-prompt';
import { NotAvailable } from './not-available';
import { OpenInTikTok } from './open-in-tiktok';
import { ReplyComposer } from './reply-composer';
import { ReviewRequest } from './review-request';

/** Composers left open survive Gmail re-rendering the message. */
const openComposers = new Set<string>();

/**
 * The button that opens a composer panel under the email. The composer takes the focus when the user opens it (here or
 * from the row's Reply chip), not when Gmail re-renders a message whose composer was left open; Escape closes it and
 * puts the focus back on the button.
 */
function ReplyToggle(props: { d: Detected; label: string; children: (autoFocus: boolean) => ComponentChildren; extra: ComponentChildren }) {
  const [state, setState] = useState(() => {
    const requested = takeComposerRequest(props.d.kind, props.d.facts.username);
    return { open: requested || openComposers.has(props.d.key), focus: requested };
  });
  const button = useRef<HTMLButtonElement>(null);
  const setOpen = (open: boolean) => {
    if (open) openComposers.add(props.d.key);
    else openComposers.delete(props.d.key);
    setState({ open, focus: open });
  };
  return (
    <>
      <div class="bar">
        <button ref={button} type="button" class="btn primary" aria-expanded={state.open} onClick={() => setOpen(!state.open)}>
          {state.open ? t('inline_close') : props.label}
        </button>
        {props.extra}
      </div>
      {state.open && (
        <section
          class="panel"
          aria-label={props.label}
          onKeyDown={(e) => {
            if (e.key !== 'Escape') return;
            setOpen(false);
            button.current?.focus();
          }}
        >
          {props.children(state.focus)}
        </section>
      )}
    </>
  );
}

function ActionBar({ d, gmail }: { d: Detected; gmail: string }) {
  const { health, capabilities } = useLinkState(gmail);
  const username = cleanUsername(d.facts.username);
  const tiktokUrl = openInTikTokUrl(d.kind, d.facts);
  const open = <OpenInTikTok url={tiktokUrl} />;
  const linkFirst = needsLink(health);
  /** Until the link state is known, actions that depend on it are not offered (no Reply that turns into Link). */
  const waiting = health === 'unknown';

  switch (d.kind) {
    case 'message': {
      if (!username || linkFirst || waiting) return <div class="bar">{username && linkFirst ? <LinkPrompt gmail={gmail} /> : null}{open}</div>;
      const off = offReason(capabilities, 'messages');
      if (off) return <div class="bar"><NotAvailable reason={off} url={MESSAGES_URL} /></div>;
      return (
        <ReplyToggle d={d} label={t('inline_reply_on_tiktok')} extra={<OpenInTikTok url={MESSAGES_URL} />}>
          {(autoFocus) => <ReplyComposer gmail={gmail} username={username} autoFocus={autoFocus} />}
        </ReplyToggle>
      );
    }
    case 'comment':
    case 'mention': {
      if (!username || linkFirst || waiting) return <div class="bar">{username && linkFirst ? <LinkPrompt gmail={gmail} /> : null}{open}</div>;
      const off = offReason(capabilities, 'comments');
      if (off) return <div class="bar"><NotAvailable reason={off} url={tiktokUrl} /></div>;
      return (
        <ReplyToggle d={d} label={t('inline_reply')} extra={open}>
          {(autoFocus) => <CommentReply gmail={gmail} username={username} videoId={d.facts.video_id} tiktokUrl={tiktokUrl} autoFocus={autoFocus} />}
        </ReplyToggle>
      );
    }
    case 'follower': {
      const off = username && !waiting && !linkFirst ? offReason(capabilities, 'follow') : null;
      if (off) return <div class="bar"><NotAvailable reason={off} url={profileUrl(username)} label={t('inline_open_profile')} /></div>;
      return (
        <div class="bar">
          {username && !waiting && (linkFirst ? <LinkPrompt gmail={gmail} to="follow" /> : <FollowBack gmail={gmail} username={username} />)}
          {open}
        </div>
      );
    }
    case 'code':
      return (
        <div class="bar">
          {d.facts.code && <CopyCode code={d.facts.code} />}
          {d.sender.email.toLowerCase() === LINK_CODE_SENDER && /^\d{6}$/.test(d.facts.code ?? '') && <UseCodeToLink gmail={gmail} />}
        </div>
      );
    case 'ads':
      return <div class="bar">{d.facts.authorization_id && <ReviewRequest gmail={gmail} authorizationId={d.facts.authorization_id} />}</div>;
    default:
      return <div class="bar">{open}</div>;
  }
}

/** Whether an email of this kind, with these facts, gets any inline action at all. */
export function hasInlineActions(d: Detected): boolean {
  switch (d.kind) {
    case 'code':
      return !!d.facts.code;
    case 'ads':
      return !!d.facts.authorization_id;
    case 'message':
      return true;
    default:
      return openInTikTokUrl(d.kind, d.facts) !== null;
  }
}

function mountActionBar(d: Detected): (() => void) | void {
  const gmail = signedInAddress();
  if (!gmail || !hasInlineActions(d)) return;
  const body = query(d.element, 'messageBody');
  const mounted = mountShadow({
    place: (host) => (body ? body.after(host) : d.element.append(host)),
    context: d.element,
    decorate: (host) => (host.dataset.ttgActions = d.kind),
    ui: <ActionBar d={d} gmail={gmail} />,
  });
  return mounted.unmount;
}

export function startActionBar(): () => void {
  return subscribe((d) => (d.scope === 'message' ? mountActionBar(d) : undefined));
}
