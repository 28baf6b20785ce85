/**
 * The advertiser side of Ads Manager: choose an advertiser, request authorization of TikTok accounts, and follow
 * every request. Used by the popup's Ads tab and, with more room, by the ads.html page (the form beside a table).
 * Switching advertiser starts the form afresh: nothing said about the previous advertiser stays.
 */
import { useEffect, useState } from 'preact/hooks';
import browser from 'webextension-polyfill';
import type { Advertiser, Authorization } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import type { ResultError } from '@/utils/messaging/catalogue';
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

  const side = (
    <>
      {advertisers && advertisers.length === 0 && <p class="ads-empty">{t('ads_no_advertisers')}</p>}
      {advertisers && advertisers.length > 0 && (
        <AdvertiserPicker advertisers={advertisers} chosen={advertiser} onChoose={chooseAdvertiser} />
      )}
      {advertisers && advertisers.length > 0 && (
        <RequestForm
          key={advertiser?.advertiser_id}
          gmail={gmail}
          advertiser={advertiser}
          onCreated={onCreated}
          onDuplicate={onDuplicate}
        />
      )}
      {duplicate && advertisers && <DuplicateNotice gmail={gmail} duplicate={duplicate} advertisers={advertisers} />}
    </>
  );
  const list =
    items && advertisers ? (
      <AuthorizationList
        gmail={gmail}
        items={items}
        advertisers={advertisers}
        upsert={upsert}
        layout={layout}
        height={400}
      />
    ) : (
      !error && <p aria-busy="true">{t('ads_loading')}</p>
    );

  return (
    <div class="ads">
      <p class="ads-live" role="status" aria-live="polite" data-testid="ads-live">
        {announcement}
      </p>
      {error && <AdsProblem error={error} onOpenLink={onOpenLink} />}
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
      <PageLinks gmail={gmail} layout={layout} />
    </div>
  );
}

/** The advertiser the form and the list are about, and the user's role there. */
function AdvertiserPicker(props: {
  advertisers: Advertiser[];
  chosen: Advertiser | undefined;
  onChoose: (id: string) => void;
}) {
  const { advertisers, chosen } = props;
  return (
    <>
      <label class="ads-advertiser">
        {t('ads_advertiser_label')}
        <select
          value={chosen?.advertiser_id}
          onChange={(e) => props.onChoose((e.currentTarget as HTMLSelectElement).value)}
        >
          {advertisers.map((a) => (
            <option key={a.advertiser_id} value={a.advertiser_id}>
              {t('ads_advertiser_option', [a.name, roleLabel(a.role)])}
            </option>
          ))}
        </select>
      </label>
      {chosen && (
        <p class="ads-role" data-testid="ads-role">
          {t('ads_your_role', [roleLabel(chosen.role), chosen.name])}
        </p>
      )}
    </>
  );
}

/** The request that already exists for the account just asked for, shown instead of a second one. */
function DuplicateNotice({
  gmail,
  duplicate,
  advertisers,
}: {
  gmail: string;
  duplicate: Authorization;
  advertisers: Advertiser[];
}) {
  return (
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
  );
}

/** Why Ads cannot be shown; in the popup, a Gmail address that is not linked gets the way to the Link tab. */
function AdsProblem({ error, onOpenLink }: { error: ResultError; onOpenLink?: () => void }) {
  const notLinkedHere = NOT_LINKED.has(error.code) && onOpenLink;
  return (
    <div class="ads-not-linked" role="alert">
      <p class="ads-problem">{notLinkedHere ? t('ads_error_not_linked_popup') : errorText(error)}</p>
      {notLinkedHere && (
        <button type="button" class="btn-primary" onClick={onOpenLink}>
          {t('ads_open_link_tab')}
        </button>
      )}
    </div>
  );
}

/** The larger views: ads.html (from the popup) and the owner's requests on review.html. */
function PageLinks({ gmail, layout }: { gmail: string; layout: Props['layout'] }) {
  const openPage = (file: 'ads.html' | 'review.html') =>
    void browser.tabs.create({ url: browser.runtime.getURL(`/${file}?gmail=${encodeURIComponent(gmail)}`) });
  return (
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
  );
}
