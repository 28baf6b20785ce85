/**
 * The row of inline actions under an open genuine TikTok email (after its body), chosen per kind of email
 * (ui/kind-actions.ts): Reply on TikTok, Reply, Follow back, Open in TikTok, Copy code, Use code to link, Review
 * request. Actions that need the link
 * become "Link TikTok to reply" while this Gmail address is not linked. When the email's @handle cannot be confirmed
 * (detection's `handle_problem`), Reply / Follow back / Open profile are shown disabled with the reason on hover.
 */
import type { ComponentChildren } from 'preact';
import { useRef, useState } from 'preact/hooks';
import { query } from '@/utils/gmail/selectors';
import { t, type MessageKey } from '@/utils/i18n';
import { cleanUsername, isVideoId, openInTikTokUrl, videoOwner } from '@/utils/tiktok-urls';
import { tabAccount } from '../account';
import { subscribe, type Detected } from '../detected';
import { features } from '../feature-registry';
import { ComposerFrame } from '../ui/composer-frame';
import { CopyCode, LINK_CODE_SENDER, UseCodeToLink } from '../ui/copy-code';
import { FollowBack } from '../ui/follow-back';
import { focusForUser } from '../ui/key-intent';
import { chooseAction, kindAction } from '../ui/kind-actions';
import { LinkPrompt } from '../ui/link-prompt';
import { mountShadow } from '../ui/mount';
import { NotAvailable } from '../ui/not-available';
import { OpenInTikTok } from '@/components/OpenInTikTok';
import { takeComposerRequest } from '../ui/pending-open';
import { ReviewRequest } from '../ui/review-request';
import { useLinkState } from '../ui/use-link-state';

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
function ReplyToggle(props: {
  d: Detected;
  label: string;
  request: Parameters<typeof ComposerFrame>[0]['request'];
  extra: ComponentChildren;
}) {
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
        <button
          ref={button}
          type="button"
          class="btn primary"
          aria-expanded={state.open}
          onClick={() => setOpen(!state.open)}
        >
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
function HandleProblem({ d, label }: { d: Detected; label: MessageKey }) {
  const problem = d.facts.handle_problem;
  if (!problem || cleanUsername(d.facts.username)) return null;
  return (
    <span
      class="btn muted"
      role="note"
      aria-disabled="true"
      data-ttg-handle-problem={problem}
      title={t(problem === 'mismatch' ? 'inline_handle_mismatch' : 'inline_handle_unconfirmed')}
    >
      {t(label)}
    </span>
  );
}

/** What a composer frame is pinned to: the other user, and for a comment the video (when the email names it) and its owner. */
function composerRequest(d: Detected, username: string): Parameters<typeof ComposerFrame>[0]['request'] {
  if (d.kind === 'message') return { kind: 'message', username };
  const video_id = isVideoId(d.facts.video_id) ? d.facts.video_id : undefined;
  const video_owner = videoOwner(d.facts.tiktok_links, video_id) ?? undefined;
  return {
    kind: d.kind === 'mention' ? 'mention' : 'comment',
    username,
    ...(video_id && { video_id }),
    ...(video_owner && { video_owner }),
  };
}

/** Reply (a composer frame) or Follow back; until the link allows it, what stands instead. */
function ActOnUser({
  d,
  gmail,
  action,
  label,
}: {
  d: Detected;
  gmail: string;
  action: 'reply' | 'follow';
  label: MessageKey;
}) {
  const { health, capabilities } = useLinkState(gmail);
  const choice = chooseAction(d, health, capabilities);
  const open = <OpenInTikTok url={openInTikTokUrl(d.kind, d.facts)} />;
  if (choice.step === 'off')
    return (
      <div class="bar">
        <NotAvailable reason={choice.reason} url={choice.url} label={choice.label && t(choice.label)} />
      </div>
    );
  if (choice.step === 'act' && action === 'reply')
    return <ReplyToggle d={d} label={t(label)} request={composerRequest(d, choice.username)} extra={open} />;
  return (
    <div class="bar">
      <HandleProblem d={d} label={label} />
      {choice.step === 'link' && <LinkPrompt gmail={gmail} to={action} />}
      {choice.step === 'act' && <FollowBack gmail={gmail} username={choice.username} />}
      {open}
    </div>
  );
}

function ActionBar({ d, gmail }: { d: Detected; gmail: string }) {
  const { action, label = 'inline_open_in_tiktok' } = kindAction(d.kind);
  switch (action) {
    case 'copy-code':
      return (
        <div class="bar">
          {d.facts.code && <CopyCode code={d.facts.code} />}
          {d.sender.email.toLowerCase() === LINK_CODE_SENDER && /^\d{6}$/.test(d.facts.code ?? '') && (
            <UseCodeToLink gmail={gmail} />
          )}
        </div>
      );
    case 'review':
      return <div class="bar">{d.facts.authorization_id && <ReviewRequest d={d} gmail={gmail} />}</div>;
    case 'open': {
      const url = openInTikTokUrl(d.kind, d.facts);
      return <div class="bar">{url ? <OpenInTikTok url={url} /> : <HandleProblem d={d} label={label} />}</div>;
    }
    default:
      return <ActOnUser d={d} gmail={gmail} action={action} label={label} />;
  }
}

/** Whether an email of this kind, with these facts, gets any inline action at all. */
function hasInlineActions(d: Detected): boolean {
  const { action } = kindAction(d.kind);
  if (action === 'copy-code') return !!d.facts.code;
  if (action === 'review') return !!d.facts.authorization_id;
  return openInTikTokUrl(d.kind, d.facts) !== null || !!d.facts.handle_problem;
}

function mountActionBar(d: Detected): (() => void) | void {
  if (d.scope !== 'message') return;
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

features.add({ id: 'action-bar', start: () => subscribe(mountActionBar) });
