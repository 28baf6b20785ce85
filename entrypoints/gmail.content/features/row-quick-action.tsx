/**
 * The one most useful action for a TikTok row in the list, without opening the email: Copy code, Reply (opens the
 * thread with the composer open), Follow back, Review. Off when settings `gmail.quick_actions` is off. Clicks on it
 * never open the row (the shadow host stops them).
 */
import { send } from '@/utils/messaging';
import { t } from '@/utils/i18n';
import { cleanUsername, MESSAGES_URL, openInTikTokUrl, profileUrl } from '@/utils/tiktok-urls';
import { query } from '@/utils/gmail/selectors';
import { subscribe, type Detected } from '../detected';
import { tabAccount } from './report-account';
import { mountShadowSoon } from '../ui/mount';
import { requestComposer } from '../ui/pending-open';
import { quickActionsEnabled, watchQuickActions } from '../ui/quick-actions-setting';
import { offReason } from '../ui/capability';
import { needsLink, useLinkState } from '../ui/use-link-state';
import { CopyCode } from './copy-code';
import { FollowBack } from './follow-back';
import { LinkPrompt } from './link-prompt';
import { NotAvailable } from './not-available';
import { OpenInTikTok } from './open-in-tiktok';

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

function RowAction({ d, gmail }: { d: Detected; gmail: string }) {
  const { health, capabilities } = useLinkState(gmail);
  const username = cleanUsername(d.facts.username);
  switch (d.kind) {
    case 'code':
      return d.facts.code ? <CopyCode code={d.facts.code} chip /> : null;
    case 'message':
    case 'comment':
    case 'mention': {
      if (!username || health === 'unknown') return null;
      if (needsLink(health)) return <LinkPrompt gmail={gmail} chip />;
      const off = offReason(capabilities, d.kind === 'message' ? 'messages' : 'comments');
      if (off) return <NotAvailable reason={off} url={d.kind === 'message' ? MESSAGES_URL : openInTikTokUrl(d.kind, d.facts)} chip />;
      return <OpenThreadReply row={d.element} kind={d.kind} username={username} />;
    }
    case 'follower': {
      if (!username || health === 'unknown') return null;
      if (needsLink(health)) return <LinkPrompt gmail={gmail} chip to="follow" />;
      const off = offReason(capabilities, 'follow');
      if (off) return <NotAvailable reason={off} url={profileUrl(username)} label={t('inline_open_profile')} chip />;
      return <FollowBack gmail={gmail} username={username} chip />;
    }
    case 'ads':
      return (
        <button
          type="button"
          class="btn chip primary"
          onClick={() =>
            void send(
              'openExtensionPage',
              d.facts.authorization_id ? { page: 'review', authorization_id: d.facts.authorization_id, gmail } : { page: 'ads', gmail },
            )
          }
        >
          {t('inline_review_request')}
        </button>
      );
    default:
      return <OpenInTikTok url={openInTikTokUrl(d.kind, d.facts)} chip />;
  }
}

function hasRowAction(d: Detected): boolean {
  const username = cleanUsername(d.facts.username);
  if (d.kind === 'code') return !!d.facts.code;
  if (d.kind === 'ads') return true;
  if (['message', 'comment', 'mention', 'follower'].includes(d.kind)) return !!username;
  return openInTikTokUrl(d.kind, d.facts) !== null;
}

/** Queues the row's action; it is mounted in a short low-priority slice with the other rows' (ui/mount.ts). */
function mountRowAction(d: Detected): (() => void) | void {
  const gmail = tabAccount();
  const slot = query(d.element, 'rowChipSlot');
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

export function startRowQuickActions(): () => void {
  let unsubscribe: (() => void) | null = null;
  const apply = (on: boolean) => {
    if (on && !unsubscribe) unsubscribe = subscribe((d) => (d.scope === 'row' ? mountRowAction(d) : undefined));
    if (!on && unsubscribe) {
      unsubscribe();
      unsubscribe = null;
    }
  };
  void quickActionsEnabled().then(apply);
  const unwatch = watchQuickActions(apply);
  return () => {
    unwatch();
    apply(false);
  };
}
