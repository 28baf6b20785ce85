/**
 * A pending request the owner approves in TikTok (API 1.1 `invite_url`): "Waiting for @owner to open the link", with
 * Copy link and Email it from Gmail (the worker opens Gmail's compose window of this account with a ready message;
 * the user types the owner's address). Only a TikTok page is ever offered as the link.
 */
import { useState } from 'preact/hooks';
import type { Authorization } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { isTikTokPageUrl } from '@/utils/tiktok-urls';

export const hasInvite = (a: Authorization) => a.status === 'pending' && isTikTokPageUrl(a.invite_url);

export function InviteLink({
  gmail,
  authorization: a,
  showLink = false,
}: {
  gmail: string;
  authorization: Authorization;
  showLink?: boolean;
}) {
  const [note, setNote] = useState<{ tone: 'done' | 'problem'; text: string } | null>(null);
  if (!hasInvite(a)) return null;
  const url = a.invite_url!;
  const copy = () =>
    navigator.clipboard.writeText(url).then(
      () => setNote({ tone: 'done', text: t('ads_invite_copied') }),
      () => setNote({ tone: 'problem', text: t('ads_invite_copy_failed') }),
    );
  const email = async () => {
    const r = await send('adsEmailInvite', { gmail, authorization_id: a.authorization_id });
    setNote(
      r.ok
        ? { tone: 'done', text: t('ads_invite_email_opened', a.tiktok.username) }
        : { tone: 'problem', text: r.error.message },
    );
  };
  return (
    <div class="ads-row-actions" data-testid="ads-invite">
      <span class="ads-blocked">{t('ads_invite_waiting', a.tiktok.username)}</span>
      {showLink && (
        <input
          type="text"
          readOnly
          value={url}
          aria-label={t('ads_invite_link_label', a.tiktok.username)}
          onFocus={(e) => e.currentTarget.select()}
        />
      )}
      <button type="button" onClick={() => void copy()}>
        {t('ads_invite_copy')}
      </button>
      <button type="button" onClick={() => void email()}>
        {t('ads_invite_email')}
      </button>
      {note && (
        <span class={note.tone === 'done' ? 'ads-done' : 'ads-problem'} role="status">
          {note.text}
        </span>
      )}
    </div>
  );
}
