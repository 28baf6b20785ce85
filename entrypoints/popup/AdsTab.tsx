/** The popup's Ads tab: Ads Manager for the Gmail account chosen at the top of the popup. */
import { looksLikeAddress } from '@/utils/gmail-address';
import { t } from '@/utils/i18n';
import { AdsManager } from '@/components/ads/AdsManager';

export function AdsTab({ gmail, onOpenLink }: { gmail: string; onOpenLink: () => void }) {
  const address = gmail.trim();
  if (!looksLikeAddress(address)) return <p class="ads-empty">{t('ads_no_gmail')}</p>;
  return <AdsManager key={address} gmail={address} layout="popup" onOpenLink={onOpenLink} />;
}
