/** Names people read for permissions, statuses and roles, and the dates shown on a request. */
import type { Advertiser, Authorization, AuthorizationStatus, Permission } from '@/utils/api/schemas';
import { t, type MessageKey } from '@/utils/i18n';

export const PERMISSIONS: readonly Permission[] = ['spark_ads', 'analytics', 'live', 'direct_messages'];

const PERMISSION_KEY: Record<Permission, MessageKey> = {
  spark_ads: 'ads_perm_spark_ads',
  analytics: 'ads_perm_analytics',
  live: 'ads_perm_live',
  direct_messages: 'ads_perm_direct_messages',
};
const STATUS_KEY: Record<AuthorizationStatus, MessageKey> = {
  pending: 'ads_status_pending',
  authorized: 'ads_status_authorized',
  rejected: 'ads_status_rejected',
  expired: 'ads_status_expired',
  revoked: 'ads_status_revoked',
};
const ROLE_KEY: Record<Advertiser['role'], MessageKey> = {
  admin: 'ads_role_admin',
  operator: 'ads_role_operator',
  analyst: 'ads_role_analyst',
};

export const permissionLabel = (p: Permission) => t(PERMISSION_KEY[p]);
export const statusLabel = (s: AuthorizationStatus) => t(STATUS_KEY[s]);
export const roleLabel = (r: Advertiser['role']) => t(ROLE_KEY[r]);

/** "Spark Ads, Analytics", or "none". Always in the canonical order, whatever order the service used. */
export const permissionList = (ps: readonly Permission[]) =>
  ps.length === 0
    ? t('ads_perm_none')
    : PERMISSIONS.filter((p) => ps.includes(p))
        .map(permissionLabel)
        .join(', ');

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
/** "Nov 22, 2026": a date where space is short (the large view's table; the full time is in its title). */
export const formatDay = (iso: string) => dayFormat.format(new Date(iso));

/** "in 6 days" / "in 3 hours" relative to `now`. */
export function formatFromNow(iso: string, now = Date.now()): string {
  const rtf = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  const diffMin = Math.round((new Date(iso).getTime() - now) / 60_000);
  if (Math.abs(diffMin) < 60) return rtf.format(diffMin, 'minute');
  const diffH = Math.round(diffMin / 60);
  if (Math.abs(diffH) < 48) return rtf.format(diffH, 'hour');
  return rtf.format(Math.round(diffH / 24), 'day');
}

/** "Requested …", then " · Decided …" once decided and " · Expires … (in 6 days)" while pending: a request's dates. */
export function requestDates(a: Authorization): string {
  let line = t('ads_requested_on', formatDate(a.requested_at));
  if (a.decided_at) line += ` · ${t('ads_decided_on', formatDate(a.decided_at))}`;
  if (a.status === 'pending' && a.expires_at)
    line += ` · ${t('ads_expires', [formatDate(a.expires_at), formatFromNow(a.expires_at)])}`;
  return line;
}
