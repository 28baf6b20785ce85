/**
 * The linked TikTok account: who, since when, what it can do; Check connection and Unlink side by side, with what
 * they did shown right under them (`feedback`: the Link tab's live regions).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Avatar } from '@/components/Avatar';
import { Button } from '@/components/Button';
import type { Link } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import type { LinkState } from '@/utils/messaging/catalogue';

interface Props {
  link: Link;
  health: LinkState['health'];
  busy: boolean;
  checkedAt: number | null;
  feedback: ComponentChildren;
  onCheck: () => void;
  onUnlink: () => void;
  onReauth: () => void;
}

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function LinkedStatus({ link, health, busy, checkedAt, feedback, onCheck, onUnlink, onReauth }: Props) {
  const [asking, setAsking] = useState(false);
  const { tiktok, capabilities } = link;
  const can = (yes: boolean) => (yes ? t('popup_cap_yes') : t('popup_cap_no'));
  return (
    <div class="step linked">
      <h2 tabIndex={-1}>{health === 'reauth_required' ? t('popup_linked_reauth_title') : t('popup_linked_title')}</h2>
      {health === 'reauth_required' && (
        <div class="reauth">
          <p>{t('popup_reauth_text')}</p>
          <Button kind="primary" busy={busy} onClick={onReauth}>
            {t('popup_reauth_button')}
          </Button>
        </div>
      )}
      <div class="profile">
        <Avatar url={tiktok.avatar_url} name={tiktok.display_name || tiktok.username} />
        <div>
          <p class="display-name">{tiktok.display_name}</p>
          <p class="username">@{tiktok.username}</p>
          <p class="account-type">{tiktok.account_type === 'business' ? t('popup_account_business') : t('popup_account_personal')}</p>
        </div>
      </div>
      <dl class="facts">
        <dt>{t('popup_fact_gmail')}</dt>
        <dd>{link.gmail}</dd>
        <dt>{t('popup_fact_since')}</dt>
        <dd>{when(link.linked_at)}</dd>
        <dt>{t('popup_fact_messages')}</dt>
        <dd>{can(capabilities.messages)}</dd>
        <dt>{t('popup_fact_comments')}</dt>
        <dd>{can(capabilities.comments)}</dd>
        {checkedAt !== null && (
          <>
            <dt>{t('popup_fact_checked')}</dt>
            <dd class="confirmed">{new Date(checkedAt).toLocaleTimeString()}</dd>
          </>
        )}
      </dl>
      {(!capabilities.messages || !capabilities.comments) && <p class="why-not">{capabilities.reason ?? t('popup_cap_reason_unknown')}</p>}

      <section class="linked-actions" aria-label={t('popup_linked_actions')}>
        {asking ? (
          <div role="group" aria-labelledby="unlink-warning" class="unlink-ask">
            <p id="unlink-warning">{t('popup_unlink_warning', `@${tiktok.username}`)}</p>
            <div class="row">
              <Button kind="danger" busy={busy} onClick={onUnlink}>
                {t('popup_unlink_confirm')}
              </Button>
              <Button disabled={busy} onClick={() => setAsking(false)}>
                {t('popup_unlink_keep')}
              </Button>
            </div>
          </div>
        ) : (
          <div class="row">
            <Button busy={busy} onClick={onCheck} describedBy="check-explain">
              {t('popup_check_button')}
            </Button>
            <Button kind="danger" disabled={busy} onClick={() => setAsking(true)}>
              {t('popup_unlink_button')}
            </Button>
          </div>
        )}
        <p id="check-explain" hidden>
          {t('popup_check_text')}
        </p>
        {feedback}
      </section>
    </div>
  );
}
