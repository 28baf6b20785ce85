/** Only admins of an advertiser may request, change, resend or unlink (the service answers `permission_denied` otherwise). */
import type { Advertiser } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { roleLabel } from './labels';

/** Why the user cannot act for this advertiser and what to do about it, or null when they can. */
export function adminRequiredReason(advertiser: Advertiser | undefined): string | null {
  if (!advertiser) return t('ads_unknown_advertiser');
  if (advertiser.role === 'admin') return null;
  return t('ads_needs_admin', [roleLabel(advertiser.role), advertiser.name]);
}
