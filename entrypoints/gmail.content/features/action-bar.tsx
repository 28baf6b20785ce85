/**
 * The row of inline actions under an open genuine TikTok email (after its body), one per kind of email: Reply on
 * TikTok, Reply, Follow back, Open in TikTok, Copy code, Use code to link, Review request. Actions that need the link
 * become "Link TikTok to reply" while this Gmail address is not linked. When the email's @handle cannot be confirmed
 * (detection's `handle_problem`), Reply / Follow back / Open profile are shown disabled with the reason on hover.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { query } from '@/utils/gmail/selectors';
import { t } from '@/utils/i18n';
import { cleanUsername, isVideoId, MESSAGES_URL, openInTikTokUrl, profileUrl, videoOwner } from '@/utils/tiktok-urls';
import { subscribe, type Detected } from '../detected';
import { tabAccount } from './report-account';
import { focusForUser } from '../ui/key-intent';
import { mountShadow } from '../ui/mount';
import { takeComposerRequest } from '../ui/pending-open';
import { offReason } from '../ui/capability';
import { needsLink, useLinkState } from '../ui/use-link-state';
import { ComposerFrame } from './composer-frame';
import { CopyCode, LINK_CODE_SENDER, UseCodeToLink } from './copy-code';
import { FollowBack } from './follow-back';
import { LinkPrompt } from './link-prompt';
import { NotAvailable } from './not-available';
import { OpenInTikTok } from './open-in-tiktok';
import { ReviewRequest } from './review-request';

/**
 * Composers left open survive Gmail re-rendering the message: message key → the target it was opened for. A message
 * that comes back naming another @username (the page swapped it) does not reopen a composer: the user opens it again.
 */
const openComposers = new Map<string, string>();
const targetOf = (d: Detected) => `${d.kind}:${(d.facts.username ?? '').toLowerCase()}:${d.facts.video_id ?? ''}`;

/**
 * The button that opens a composer frame under the email. The composer takes the focus when the user opens it (here or
 * from the row's Reply chip), not when Gmail re-renders a message whose composer was left open; Escape in the composer
 * closes it and puts the focus back on the button.
 */
function ReplyToggle(props: { d: Detected; label: string; request: Parameters<typeof ComposerFrame>[0]['request']; extra: ComponentChildren }) {
  const [state, setState] = useState(() => {
    const requested = takeComposerRequest(props.d.kind, props.d.facts.username);
    const kept = openComposers.get(props.d.key) === targetOf(props.d);
    if (!kept) openComposers.delete(props.d.key);
    return { open: requested || kept, focus: requested };
  });
  const button = useRef<HTMLButtonElement>(null);
  const setOpen = (open: boolean) => {
    if (open) openComposers.set(props.d.key, targetOf(props.d));
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
        <ComposerFrame
          request={props.request}
          focus={state.focus}
          onClose={() => {
            setOpen(false);
            focusForUser(button.current);
          }}
        />
      )}
    </>
  );
}

/** The action this email would have had, disabled, saying on hover why its @handle is not trusted (issue 11 §3). */
function HandleProblem({ d, label }: { d: Detected; label: string }) {
  const problem = d.facts.handle_problem;
  if (!problem || cleanUsername(d.facts.username)) return null;
  return (
    <span class="btn muted" role="note" aria-disabled="true" data-ttg-handle-problem={problem} title={t(problem === 'mismatch' ? 'inline_handle_mismatch' : 'inline_handle_unconfirmed')}>
      {label}
    </span>
  );
}

/** What a comment composer frame is pinned to: the commenter, the video (when the email names it) and its owner. */
function commentRequest(d: Detected, username: string): Parameters<typeof ComposerFrame>[0]['request'] {
  const video_id = isVideoId(d.facts.video_id) ? d.facts.video_id : undefined;
  const video_owner = videoOwner(d.facts.tiktok_links, video_id) ?? undefined;
  return { kind: d.kind === 'mention' ? 'mention' : 'comment', username, ...(video_id && { video_id }), ...(video_owner && { video_owner }) };
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
      if (!username || linkFirst || waiting) return <div class="bar"><HandleProblem d={d} label={t('inline_reply_on_tiktok')} />{username && linkFirst ? <LinkPrompt gmail={gmail} /> : null}{open}</div>;
      const off = offReason(capabilities, 'messages');
      if (off) return <div class="bar"><NotAvailable reason={off} url={MESSAGES_URL} /></div>;
      return (
        <ReplyToggle d={d} label={t('inline_reply_on_tiktok')} request={{ kind: 'message', username }} extra={<OpenInTikTok url={MESSAGES_URL} />} />
      );
    }
    case 'comment':
    case 'mention': {
      if (!username || linkFirst || waiting) return <div class="bar"><HandleProblem d={d} label={t('inline_reply')} />{username && linkFirst ? <LinkPrompt gmail={gmail} /> : null}{open}</div>;
      const off = offReason(capabilities, 'comments');
      if (off) return <div class="bar"><NotAvailable reason={off} url={tiktokUrl} /></div>;
      return (
        <ReplyToggle d={d} label={t('inline_reply')} request={commentRequest(d, username)} extra={open} />
      );
    }
    case 'follower': {
      const off = username && !waiting && !linkFirst ? offReason(capabilities, 'follow') : null;
      if (off) return <div class="bar"><NotAvailable reason={off} url={profileUrl(username)} label={t('inline_open_profile')} /></div>;
      return (
        <div class="bar">
          <HandleProblem d={d} label={t('inline_follow_back')} />
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
      return <div class="bar">{tiktokUrl ? open : <HandleProblem d={d} label={t('inline_open_in_tiktok')} />}</div>;
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
      return openInTikTokUrl(d.kind, d.facts) !== null || !!d.facts.handle_problem;
  }
}

function mountActionBar(d: Detected): (() => void) | void {
  const gmail = tabAccount();
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
