/**
 * The popup's activity strip, under the header: unread TikTok activity of the chosen Gmail address per kind (what the
 * badge counts), each with Open (messages, comments, followers: that TikTok mail in the Gmail tab of the account; Ads:
 * the popup's Ads tab), which also marks that kind read, and Mark all read. Nothing when nothing is unread ("No new
 * TikTok activity" once the user has read it all here). Results are announced politely (aria-live). Small and zod-free: it ships in the popup's first bundle.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { looksLikeAddress } from '@/utils/gmail-address';
import { t, type MessageKey } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import type { ResponseOf } from '@/utils/messaging/catalogue';

type Unread = ResponseOf<'unreadCounts'>;
type Kind = keyof Unread;

export const ACTIVITY_KINDS: readonly Kind[] = ['messages', 'comments', 'followers', 'ads'];
const LABEL: Record<Kind, MessageKey> = {
  messages: 'popup_activity_messages',
  comments: 'popup_activity_comments',
  followers: 'popup_activity_followers',
  ads: 'popup_activity_ads',
};
/** Waits for the typing in the Gmail field to pause before asking for another address's counts. */
const TYPING_MS = 250;

export function ActivityStrip({ gmail, onOpenAds }: { gmail: string; onOpenAds: () => void }) {
  const address = gmail.trim();
  const [counts, setCounts] = useState<{ gmail: string; unread: Unread } | null>(null);
  const [announce, setAnnounce] = useState('');
  const [busy, setBusy] = useState(false);
  const strip = useRef<HTMLElement>(null);

  const load = async (forAddress: string) => {
    const r = await send('unreadCounts', { gmail: forAddress });
    if (r.ok) setCounts({ gmail: forAddress, unread: r.data });
  };

  useEffect(() => {
    setAnnounce('');
    if (!looksLikeAddress(address)) return;
    const timer = setTimeout(() => void load(address), counts ? TYPING_MS : 0);
    // The badge may change while the popup is open (a poll, a read in Gmail): look again when it gets the focus back.
    const onFocus = () => void load(address);
    addEventListener('focus', onFocus);
    return () => {
      clearTimeout(timer);
      removeEventListener('focus', onFocus);
    };
  }, [address]);

  if (!looksLikeAddress(address) || counts?.gmail !== address) return null;
  const unread = counts.unread;
  const shown = ACTIVITY_KINDS.filter((k) => unread[k] > 0);
  /** Nothing new and nothing done here: the strip takes no room (its live region stays, empty). */
  const quiet = shown.length === 0 && !announce;

  /** Runs one action; the line it was on disappears, so the focus goes to the strip rather than to the page. */
  const act = async (run: () => Promise<{ ok: boolean; error?: { message: string } }>, done: string) => {
    setBusy(true);
    const r = await run();
    await load(address);
    setBusy(false);
    setAnnounce(r.ok ? done : t('popup_activity_failed', r.error?.message ?? ''));
    strip.current?.focus();
  };

  const open = (kind: Kind) =>
    void act(
      async () => {
        if (kind !== 'ads') return send('openActivity', { gmail: address, kind });
        const r = await send('markRead', { gmail: address, kinds: ['ads'] });
        if (r.ok) onOpenAds();
        return r;
      },
      t('popup_activity_marked', t(LABEL[kind])),
    );

  const markAll = () =>
    void act(() => send('markRead', { gmail: address, kinds: [...ACTIVITY_KINDS] }), t('popup_activity_marked_all'));

  return (
    <section
      class={quiet ? 'activity activity-quiet' : 'activity'}
      aria-label={quiet ? undefined : t('popup_activity_label')}
      tabIndex={-1}
      ref={strip}
    >
      {quiet ? null : shown.length === 0 ? (
        <p class="activity-none">{t('popup_activity_none')}</p>
      ) : (
        <ActivityList shown={shown} unread={unread} busy={busy} onOpen={open} onMarkAll={markAll} />
      )}
      <p class="activity-live" aria-live="polite">
        {announce}
      </p>
    </section>
  );
}

/** Each unread kind with its count and Open, then Mark all read. */
function ActivityList(props: {
  shown: Kind[];
  unread: Unread;
  busy: boolean;
  onOpen: (kind: Kind) => void;
  onMarkAll: () => void;
}) {
  const { unread, busy } = props;
  return (
    <div class="activity-body">
      <ul class="activity-list">
        {props.shown.map((kind) => (
          <li key={kind}>
            <span class="activity-kind">{t(LABEL[kind])}</span>
            <span class="activity-count">{unread[kind]}</span>
            <button
              type="button"
              class="btn btn-small"
              disabled={busy}
              aria-label={
                kind === 'ads'
                  ? t('popup_activity_open_ads', unread[kind])
                  : t('popup_activity_open_gmail', [t(LABEL[kind]), unread[kind]])
              }
              onClick={() => props.onOpen(kind)}
            >
              {t('popup_activity_open')}
            </button>
          </li>
        ))}
      </ul>
      <button type="button" class="btn btn-small activity-mark-all" disabled={busy} onClick={props.onMarkAll}>
        {t('popup_activity_mark_all')}
      </button>
    </div>
  );
}
