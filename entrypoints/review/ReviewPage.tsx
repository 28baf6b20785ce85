/** The owner side: the request the notification pointed at first, then every request made to the user's accounts. */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { errorText } from '@/components/ads/problems';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { RequestReview } from './RequestReview';
import { useRequests } from './useRequests';
import '@/components/ads/ads.css';

interface Props {
  gmail: string;
  focusId: string | null;
}

export function ReviewPage({ gmail, focusId }: Props) {
  const { items, error, upsert } = useRequests(gmail);
  /** API 1.1: a service whose TikTok decides Ads requests in its own app (`ads_approve_in_api` false). */
  const [inTikTok, setInTikTok] = useState(false);
  useEffect(
    () =>
      void send('serviceInfo', {}).then((r) =>
        setInTikTok(r.ok && !!r.data.info && !r.data.info.features.ads_approve_in_api),
      ),
    [],
  );
  // Seeing this page is reading the Ads requests: the badge count for them goes away.
  useEffect(() => void send('markRead', { kinds: ['ads'] }), []);
  const focused = useMemo(() => items?.find((a) => a.authorization_id === focusId), [items, focusId]);
  const others = useMemo(
    () =>
      (items ?? [])
        .filter((a) => a.authorization_id !== focusId)
        .sort((a, b) => (a.requested_at < b.requested_at ? 1 : -1)),
    [items, focusId],
  );
  return (
    <main class="ads ads-page ads-review-page">
      <h1>{t('ads_review_page_title')}</h1>
      <p class="ads-role" data-testid="ads-review-intro">
        {t(inTikTok ? 'ads_review_intro_in_tiktok' : 'ads_review_intro', gmail)}
      </p>
      {error && (
        <p class="ads-problem" role="alert">
          {errorText(error)}
        </p>
      )}
      {items === null && !error && <p aria-busy="true">{t('ads_loading')}</p>}
      {items && focusId && !focused && <p class="ads-problem">{t('ads_review_not_found')}</p>}
      {focused && (
        <RequestReview
          key={focused.authorization_id}
          gmail={gmail}
          request={focused}
          onDecided={upsert}
          inTikTok={inTikTok}
        />
      )}
      {items && (
        <section aria-labelledby="ads-requests-title" class="ads-list">
          <h2 id="ads-requests-title">{focused ? t('ads_review_other_requests') : t('ads_review_all_requests')}</h2>
          {others.length === 0 ? (
            <p class="ads-empty">{focused ? t('ads_review_none') : t('ads_review_none_yet')}</p>
          ) : (
            others.map((a) => (
              <RequestReview
                key={a.authorization_id}
                gmail={gmail}
                request={a}
                onDecided={upsert}
                inTikTok={inTikTok}
              />
            ))
          )}
        </section>
      )}
    </main>
  );
}
