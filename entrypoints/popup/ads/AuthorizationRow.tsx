/** One requested account: who, for which advertiser, status, requested vs granted permissions, dates and actions. */
import type { Advertiser, Authorization } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { InviteLink } from './InviteLink';
import { permissionList, requestDates, statusLabel } from './labels';
import { adminRequiredReason } from './roles';

export interface RowActions {
  onResend: (a: Authorization) => void;
  onChangePermissions: (a: Authorization) => void;
  onUnlink: (a: Authorization) => void;
}

interface Props {
  authorization: Authorization;
  /** Without actions the row is only shown (e.g. the existing request found instead of a duplicate). */
  actions?: RowActions;
  advertiser: Advertiser | undefined;
  selected?: boolean;
  onSelect?: (id: string, on: boolean) => void;
  busy?: boolean;
  /** The Gmail address the page works for: a pending request with an invite link offers Copy link / Email it from Gmail. */
  gmail?: string;
  position?: { index: number; total: number; top: number };
}

export function AuthorizationRow({ authorization: a, advertiser, selected, onSelect, busy = false, gmail, position, actions }: Props) {
  const id = a.authorization_id;
  const blocked = adminRequiredReason(advertiser);
  const blockedId = `ads-blocked-${id}`;
  const canResend = actions !== undefined && (a.status === 'rejected' || a.status === 'expired');
  const isAuthorized = actions !== undefined && a.status === 'authorized';
  const actionProps = { disabled: blocked !== null || busy, 'aria-describedby': blocked ? blockedId : undefined };
  return (
    <li
      class={`ads-row ads-status-${a.status}`}
      data-authorization-id={id}
      data-username={a.tiktok.username}
      aria-setsize={position?.total}
      aria-posinset={position ? position.index + 1 : undefined}
      style={position ? { top: `${position.top}px` } : undefined}
    >
      <div class="ads-row-head">
        {onSelect && (
          <input
            type="checkbox"
            checked={selected}
            aria-label={t('ads_select_account', a.tiktok.username)}
            onChange={(e) => onSelect(id, (e.currentTarget as HTMLInputElement).checked)}
          />
        )}
        <strong class="ads-username">@{a.tiktok.username}</strong>
        <span class="ads-display-name">{a.tiktok.display_name}</span>
        <span class="ads-badge" data-status={a.status}>
          {statusLabel(a.status)}
        </span>
      </div>
      <div class="ads-row-line">
        {t('ads_for_advertiser', a.advertiser.name)} · {t('ads_requested_perms', permissionList(a.permissions.requested))} ·{' '}
        {t('ads_granted_perms', permissionList(a.permissions.granted))}
      </div>
      <div class="ads-row-line">
        {requestDates(a)}
      </div>
      {gmail && <InviteLink gmail={gmail} authorization={a} />}
      <div class="ads-row-actions">
        {canResend && (
          <button type="button" {...actionProps} onClick={() => actions?.onResend(a)}>
            {t('ads_resend')}
          </button>
        )}
        {isAuthorized && (
          <button type="button" {...actionProps} onClick={() => actions?.onChangePermissions(a)}>
            {t('ads_change_permissions')}
          </button>
        )}
        {isAuthorized && (
          <button type="button" {...actionProps} onClick={() => actions?.onUnlink(a)}>
            {t('ads_unlink')}
          </button>
        )}
        {blocked && (canResend || isAuthorized) && (
          <span id={blockedId} class="ads-blocked">
            {blocked}
          </span>
        )}
      </div>
    </li>
  );
}
