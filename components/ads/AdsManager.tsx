/**
 * The advertiser side of Ads Manager: choose an advertiser, request authorization of TikTok accounts, and follow
 * every request. Used by the popup's Ads tab and, with more room, by the ads.html page (the form beside a table).
 * Switching advertiser starts the form afresh: nothing said about the previous advertiser stays.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { Authorization } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { AuthorizationList } from './AuthorizationList';
import { AuthorizationRow } from './AuthorizationRow';
import { statusLabel, roleLabel } from './labels';
import { errorText } from './problems';
import { RequestForm } from './RequestForm';
import { useAdsData } from './useAdsData';
import './ads.css';

interface Props {
  gmail: string;
  layout: 'popup' | 'page';
  /** In the popup: shows the Link tab (offered when this Gmail address is not linked). */
  onOpenLink?: () => void;
}

const NOT_LINKED = new Set(['not_linked', 'access_token_invalid']);

export function AdsManager({ gmail, layout, onOpenLink }: Props) {
  const { advertisers, items, error, changed, refresh, upsert } = useAdsData(gmail);
  const [advertiserId, setAdvertiserId] = useState<string | null>(null);
  const [duplicateId, setDuplicateId] = useState<string | null>(null);
  const [announcement, setAnnouncement] = useState('');

  useEffect(() => {
    if (changed.length === 0) return;
    setAnnouncement(changed.map((a) => t('ads_status_changed', [a.tiktok.username, statusLabel(a.status)])).join('\n'));
  }, [changed]);

  const advertiser = advertisers?.find((a) => a.advertiser_id === advertiserId) ?? advertisers?.[0];
  const duplicate = duplicateId ? items?.find((a) => a.authorization_id === duplicateId) : undefined;

  const onDuplicate = (id: string) => {
    setDuplicateId(id);
    if (!items?.some((a) => a.authorization_id === id)) void refresh();
  };
  const onCreated = (a: Authorization) => {
    setDuplicateId(null);
    upsert(a);
  };
  const chooseAdvertiser = (id: string) => {
    setAdvertiserId(id);
    setDuplicateId(null);
  };
  const openPage = (file: 'ads.html' | 'review.html') => void browser.tabs.create({ url: browser.runtime.getURL(`/${file}?gmail=${encodeURIComponent(gmail)}`) });

  const notLinkedHere = error && NOT_LINKED.has(error.code) && onOpenLink;
  const side = (
    <>
      {advertisers && advertisers.length === 0 && <p class="ads-empty">{t('ads_no_advertisers')}</p>}
      {advertisers && advertisers.length > 0 && (
        <label class="ads-advertiser">
          {t('ads_advertiser_label')}
          <select value={advertiser?.advertiser_id} onChange={(e) => chooseAdvertiser((e.currentTarget as HTMLSelectElement).value)}>
            {advertisers.map((a) => (
              <option key={a.advertiser_id} value={a.advertiser_id}>
                {t('ads_advertiser_option', [a.name, roleLabel(a.role)])}
              </option>
            ))}
          </select>
        </label>
      )}
      {advertiser && (
        <p class="ads-role" data-testid="ads-role">
          {t('ads_your_role', [roleLabel(advertiser.role), advertiser.name])}
        </p>
      )}
      {advertisers && advertisers.length > 0 && (
        <RequestForm key={advertiser?.advertiser_id} gmail={gmail} advertiser={advertiser} onCreated={onCreated} onDuplicate={onDuplicate} />
      )}
      {duplicate && advertisers && (
        <section class="ads-duplicate" aria-labelledby="ads-duplicate-title" data-testid="ads-duplicate">
          <h2 id="ads-duplicate-title">{t('ads_duplicate_title', duplicate.tiktok.username)}</h2>
          <ul class="ads-plain">
            <AuthorizationRow
              gmail={gmail}
              authorization={duplicate}
              advertiser={advertisers.find((x) => x.advertiser_id === duplicate.advertiser.advertiser_id)}
            />
          </ul>
        </section>
      )}
    </>
  );
  const list =
    items && advertisers ? (
      <AuthorizationList gmail={gmail} items={items} advertisers={advertisers} upsert={upsert} layout={layout} height={400} />
    ) : (
      !error && <p aria-busy="true">{t('ads_loading')}</p>
    );

  return (
    <div class="ads">
      <p class="ads-live" role="status" aria-live="polite" data-testid="ads-live">
        {announcement}
      </p>
      {error && (
        <div class="ads-not-linked" role="alert">
          <p class="ads-problem">{notLinkedHere ? t('ads_error_not_linked_popup') : errorText(error)}</p>
          {notLinkedHere && (
            <button type="button" class="btn-primary" onClick={onOpenLink}>
              {t('ads_open_link_tab')}
            </button>
          )}
        </div>
      )}
      {layout === 'page' ? (
        <div class="ads-layout-page">
          <div class="ads-side">{side}</div>
          {list}
        </div>
      ) : (
        <>
          {side}
          {list}
        </>
      )}
      <div class="ads-row-actions">
        {layout === 'popup' && (
          <button type="button" onClick={() => openPage('ads.html')}>
            {t('ads_open_large_view')}
          </button>
        )}
        <button type="button" onClick={() => openPage('review.html')}>
          {t('ads_open_requests')}
        </button>
      </div>
    </div>
  );
}
