/** The popup's Ads tab: Ads Manager for the Gmail account chosen at the top of the popup. */
import { t } from '@/utils/i18n';
import { AdsManager } from '@/components/ads/AdsManager';

const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;

export function AdsTab({ gmail, onOpenLink }: { gmail: string; onOpenLink: () => void }) {
  const address = gmail.trim();
  if (!LOOKS_LIKE_EMAIL.test(address)) return <p class="ads-empty">{t('ads_no_gmail')}</p>;
  return <AdsManager key={address} gmail={address} layout="popup" onOpenLink={onOpenLink} />;
}
