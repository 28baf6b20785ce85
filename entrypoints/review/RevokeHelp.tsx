/** The service API has no owner-side revoke: an authorization the owner granted is revoked in the TikTok app. */
import { t } from '@/utils/i18n';

export const TIKTOK_URL = 'https://www.tiktok.com/';

export function RevokeHelp() {
  return (
    <p class="ads-blocked">
      {t('ads_review_revoke_help')}{' '}
      <a href={TIKTOK_URL} target="_blank" rel="noopener noreferrer">
        {t('ads_review_open_tiktok')}
      </a>
    </p>
  );
}
