/**
 * One requested account: who, for which advertiser, status, requested vs granted permissions, dates and actions.
 * `AuthorizationRow` is the popup's card-like list item; `AuthorizationTableRow` the large view's one-line row.
 * Both act through the same buttons (`RowActionButtons`), which pass themselves along so a confirmation opens there.
 */
import type { Advertiser, Authorization } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { InviteLink } from './InviteLink';
import { formatDate, formatDay, formatFromNow, permissionList, requestDates, statusLabel } from './labels';
import { adminRequiredReason } from './roles';

export interface RowActions {
  onResend: (a: Authorization) => void;
  onChangePermissions: (a: Authorization, from: HTMLElement) => void;
  onUnlink: (a: Authorization, from: HTMLElement) => void;
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

function RowActionButtons({ authorization: a, advertiser, busy = false, gmail, actions }: Props) {
  const blocked = adminRequiredReason(advertiser);
  const blockedId = `ads-blocked-${a.authorization_id}`;
  const canResend = actions !== undefined && (a.status === 'rejected' || a.status === 'expired');
  const isAuthorized = actions !== undefined && a.status === 'authorized';
  const actionProps = { disabled: blocked !== null || busy, 'aria-describedby': blocked ? blockedId : undefined };
  const from = (e: Event) => e.currentTarget as HTMLElement;
  return (
    <>
      {gmail && <InviteLink gmail={gmail} authorization={a} />}
      <div class="ads-row-actions">
        {canResend && (
          <button type="button" {...actionProps} onClick={() => actions?.onResend(a)}>
            {t('ads_resend')}
          </button>
        )}
        {isAuthorized && (
          <button type="button" {...actionProps} onClick={(e) => actions?.onChangePermissions(a, from(e))}>
            {t('ads_change_permissions')}
          </button>
        )}
        {isAuthorized && (
          <button type="button" class="btn-danger" {...actionProps} onClick={(e) => actions?.onUnlink(a, from(e))}>
            {t('ads_unlink')}
          </button>
        )}
        {blocked && (canResend || isAuthorized) && (
          <span id={blockedId} class="ads-blocked">
            {blocked}
          </span>
        )}
      </div>
    </>
  );
}

function SelectBox({ authorization: a, selected, onSelect }: Props) {
  if (!onSelect) return null;
  return (
    <input
      type="checkbox"
      checked={selected}
      aria-label={t('ads_select_account', a.tiktok.username)}
      onChange={(e) => onSelect(a.authorization_id, (e.currentTarget as HTMLInputElement).checked)}
    />
  );
}

const Badge = ({ a }: { a: Authorization }) => (
  <span class="ads-badge" data-status={a.status}>
    {statusLabel(a.status)}
  </span>
);

export function AuthorizationRow(props: Props) {
  const { authorization: a, position } = props;
  return (
    <li
      class={`ads-row ads-status-${a.status}`}
      data-authorization-id={a.authorization_id}
      data-username={a.tiktok.username}
      aria-setsize={position?.total}
      aria-posinset={position ? position.index + 1 : undefined}
      style={position ? { top: `${position.top}px` } : undefined}
    >
      <div class="ads-row-head">
        <SelectBox {...props} />
        <strong class="ads-username">@{a.tiktok.username}</strong>
        <span class="ads-display-name">{a.tiktok.display_name}</span>
        <Badge a={a} />
      </div>
      <div class="ads-row-line">
        {t('ads_for_advertiser', a.advertiser.name)} ·{' '}
        {t('ads_requested_perms', permissionList(a.permissions.requested))} ·{' '}
        {t('ads_granted_perms', permissionList(a.permissions.granted))}
      </div>
      <div class="ads-row-line">{requestDates(a)}</div>
      <RowActionButtons {...props} />
    </li>
  );
}

/** The decision's date, or "expires in 6 days" while pending. */
function decidedCell(a: Authorization): { text: string; title: string } {
  if (a.decided_at) return { text: formatDay(a.decided_at), title: formatDate(a.decided_at) };
  if (a.status === 'pending' && a.expires_at)
    return {
      text: t('ads_expires_short', formatFromNow(a.expires_at)),
      title: t('ads_expires', [formatDate(a.expires_at), formatFromNow(a.expires_at)]),
    };
  return { text: '—', title: '' };
}

export function AuthorizationTableRow(props: Props) {
  const { authorization: a, position } = props;
  const requested = permissionList(a.permissions.requested);
  const granted = permissionList(a.permissions.granted);
  const permissions = `${t('ads_requested_perms', requested)} · ${t('ads_granted_perms', granted)}`;
  const decided = decidedCell(a);
  return (
    <tr
      class={`ads-row ads-status-${a.status}`}
      data-authorization-id={a.authorization_id}
      data-username={a.tiktok.username}
      aria-rowindex={position ? position.index + 2 : undefined}
    >
      <td>
        <SelectBox {...props} />
      </td>
      <td>
        <Badge a={a} />
      </td>
      <td title={`@${a.tiktok.username} ${a.tiktok.display_name}`}>
        <strong class="ads-username">@{a.tiktok.username}</strong>
      </td>
      <td title={a.advertiser.name}>{a.advertiser.name}</td>
      <td title={permissions}>
        {requested} → {granted}
      </td>
      <td title={formatDate(a.requested_at)}>{formatDay(a.requested_at)}</td>
      <td title={decided.title}>{decided.text}</td>
      <td>
        <RowActionButtons {...props} />
      </td>
    </tr>
  );
}
