import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import { gmailForPage } from '@/components/ads/pageGmail';
import { t } from '@/utils/i18n';
import { ReviewPage } from './ReviewPage';

/** review.html?id=<authorization_id>&gmail=<gmail>: opened from the Gmail notification's "Review request". */
function Review() {
  const [gmail, setGmail] = useState<string | null | undefined>(undefined);
  const focusId = new URLSearchParams(location.search).get('id');
  useEffect(() => {
    document.title = t('ads_review_page_title');
    document.documentElement.lang = browser.i18n.getUILanguage();
    void gmailForPage().then(setGmail);
  }, []);
  if (gmail === undefined) return null;
  return gmail === null ? <p>{t('ads_no_gmail')}</p> : <ReviewPage gmail={gmail} focusId={focusId} />;
}

render(<Review />, document.getElementById('app')!);
