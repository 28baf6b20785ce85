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

/** Why what is off is off (API 1.1 gives a reason per capability; 1.0 one for messages and comments), each sentence once. */
function whyNot(c: Link['capabilities']): string[] {
  const off = (['messages', 'comments', 'follow'] as const).filter((k) => c[k] === false);
  if (!off.length) return [];
  const reasons = off
    .map((k) => c.reasons?.[k] ?? (k === 'follow' ? undefined : c.reason))
    .filter((r): r is string => !!r);
  return reasons.length ? [...new Set(reasons)] : [t('popup_cap_reason_unknown')];
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
          <p class="account-type">
            {tiktok.account_type === 'business' ? t('popup_account_business') : t('popup_account_personal')}
          </p>
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
        <dt>{t('popup_fact_follow')}</dt>
        <dd>{capabilities.follow === false ? t('popup_cap_follow_no') : t('popup_cap_follow_yes')}</dd>
        {checkedAt !== null && (
          <>
            <dt>{t('popup_fact_checked')}</dt>
            <dd class="confirmed">{new Date(checkedAt).toLocaleTimeString()}</dd>
          </>
        )}
      </dl>
      {whyNot(capabilities).map((why) => (
        <p key={why} class="why-not">
          {why}
        </p>
      ))}

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
