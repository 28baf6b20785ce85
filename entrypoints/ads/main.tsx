import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { AdsManager } from '@/components/ads/AdsManager';
import { gmailForPage } from '@/components/ads/pageGmail';
import { t } from '@/utils/i18n';
import '@/components/ads/ads.css';

/** The Ads Manager list with room for many accounts. */
function AdsPage() {
  const [gmail, setGmail] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    document.title = t('ads_page_title');
    document.documentElement.lang = browser.i18n.getUILanguage();
    void gmailForPage().then(setGmail);
  }, []);
  return (
    <main class="ads ads-page">
      <div class="ads-page-head">
        <h1>{t('ads_page_title')}</h1>
        {gmail && <p class="ads-role">{gmail}</p>}
      </div>
      {gmail === undefined ? null : gmail === null ? (
        <p>{t('ads_no_gmail')}</p>
      ) : (
        <AdsManager gmail={gmail} layout="page" />
      )}
    </main>
  );
}

render(<AdsPage />, document.getElementById('app')!);
