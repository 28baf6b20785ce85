/**
 * The one most useful action for a TikTok row in the list, without opening the email (ui/kind-actions.ts): Copy code,
 * Reply (opens the thread with the composer open), Follow back, Review, Open in TikTok. Off while settings
 * `gmail.quick_actions` is off. Clicks on it never open the row (the shadow host stops them).
 */
import { t } from '@/utils/i18n';
import { cleanUsername, openInTikTokUrl } from '@/utils/tiktok-urls';
import { rowChipSlot } from '@/utils/gmail/selectors';
import { tabAccount } from '../account';
import { subscribe, type Detected } from '../detected';
import { features } from '../feature-registry';
import { CopyCode } from '../ui/copy-code';
import { FollowBack } from '../ui/follow-back';
import { chooseAction, kindAction } from '../ui/kind-actions';
import { LinkPrompt } from '../ui/link-prompt';
import { mountShadowSoon } from '../ui/mount';
import { NotAvailable } from '../ui/not-available';
import { OpenInTikTok } from '@/components/OpenInTikTok';
import { requestComposer } from '../ui/pending-open';
import { ReviewRequest } from '../ui/review-request';
import { useLinkState } from '../ui/use-link-state';

function OpenThreadReply(props: { row: HTMLElement; kind: string; username: string }) {
  return (
    <button
      type="button"
      class="btn chip primary"
      onClick={() => {
        requestComposer(props.kind, props.username);
        props.row.click(); // Gmail opens the thread; the composer opens there by itself
      }}
    >
      {t('inline_reply')}
    </button>
  );
}

/** Reply or Follow back, once the link allows it. */
function ActOnUser({ d, gmail, action }: { d: Detected; gmail: string; action: 'reply' | 'follow' }) {
  const { health, capabilities } = useLinkState(gmail);
  const choice = chooseAction(d, health, capabilities);
  if (choice.step === 'link') return <LinkPrompt gmail={gmail} chip to={action} />;
  if (choice.step === 'off')
    return <NotAvailable reason={choice.reason} url={choice.url} label={choice.label && t(choice.label)} chip />;
  if (choice.step !== 'act') return null;
  return action === 'reply' ? (
    <OpenThreadReply row={d.element} kind={d.kind} username={choice.username} />
  ) : (
    <FollowBack gmail={gmail} username={choice.username} chip />
  );
}

function RowAction({ d, gmail }: { d: Detected; gmail: string }) {
  const { action } = kindAction(d.kind);
  switch (action) {
    case 'copy-code':
      return d.facts.code ? <CopyCode code={d.facts.code} chip /> : null;
    case 'review':
      return <ReviewRequest d={d} gmail={gmail} chip />;
    case 'open':
      return <OpenInTikTok url={openInTikTokUrl(d.kind, d.facts)} chip />;
    default:
      return <ActOnUser d={d} gmail={gmail} action={action} />;
  }
}

function hasRowAction(d: Detected): boolean {
  const { action } = kindAction(d.kind);
  if (action === 'copy-code') return !!d.facts.code;
  if (action === 'review') return true;
  if (action === 'open') return openInTikTokUrl(d.kind, d.facts) !== null;
  return !!cleanUsername(d.facts.username);
}

/** Queues the row's action; it is mounted in a short low-priority slice with the other rows' (ui/mount.ts). */
function mountRowAction(d: Detected): (() => void) | void {
  if (d.scope !== 'row') return;
  const gmail = tabAccount();
  const slot = rowChipSlot(d.element);
  if (!gmail || !slot || !hasRowAction(d)) return;
  return mountShadowSoon({
    place: (host) => {
      const kindChip = slot.querySelector('[data-ttg-chip]');
      if (kindChip) kindChip.after(host);
      else slot.prepend(host);
    },
    context: d.element,
    inline: true,
    decorate: (host) => (host.dataset.ttgQuickAction = d.kind),
    ui: <RowAction d={d} gmail={gmail} />,
  });
}

features.add({ id: 'row-quick-action', setting: 'quick_actions', start: () => subscribe(mountRowAction) });
