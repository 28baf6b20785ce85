/**
 * What the chosen service is and can do (API 1.1 `GET /v1/service`), in words: the full list for Options → Service
 * and one line for the popup footer. Shared so both say the same thing.
 */
import type { ServiceInfo } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';

type Feature = { name: string; on: boolean; off?: string };

function features(info: ServiceInfo): Feature[] {
  const f = info.features;
  return [
    { name: t('service_feature_follow'), on: f.follow },
    { name: t('service_feature_ads'), on: f.ads },
    ...(f.ads
      ? [
          {
            name: t('service_feature_ads_approve'),
            on: f.ads_approve_in_api,
            off: t('service_feature_ads_approve_off'),
          },
        ]
      : []),
    { name: t('service_feature_reply_by_email'), on: f.reply_by_email },
  ];
}

/** The service's own name; the built-in sandbox is named in the user's language (its API name is English). */
const nameOf = (info: ServiceInfo, builtIn: boolean) => (builtIn ? t('options_service_sandbox') : info.name);

const tiktokWord = (info: ServiceInfo) =>
  t(info.tiktok === 'tiktok' ? 'popup_service_tiktok_real' : 'popup_service_tiktok_simulated');

/** "TikTok Gmail Link service · real TikTok · API 1.1 · not here: Follow back, approving Ads (done in TikTok)". */
export function serviceLine(info: ServiceInfo, builtIn: boolean): string {
  const f = info.features;
  const missing = [
    !f.follow && t('popup_service_no_follow'),
    !f.ads && t('popup_service_no_ads'),
    f.ads && !f.ads_approve_in_api && t('popup_service_no_ads_approve'),
  ].filter((x): x is string => !!x);
  const base = [nameOf(info, builtIn), tiktokWord(info), info.api_version];
  return missing.length
    ? t('popup_service_about_limits', [...base, missing.join(', ')])
    : t('popup_service_about', base);
}

export function ServiceAbout({ info, builtIn }: { info: ServiceInfo | null; builtIn: boolean }) {
  if (!info)
    return (
      <p class="hint" data-testid="service-about">
        {t('service_about_unknown')}
      </p>
    );
  return (
    <div data-testid="service-about" aria-labelledby="service-about-heading">
      <h3 id="service-about-heading">{t('service_about_heading')}</h3>
      <ul>
        <li>{t('service_about_name', nameOf(info, builtIn))}</li>
        <li>{t(info.tiktok === 'tiktok' ? 'service_about_tiktok_real' : 'service_about_tiktok_simulated')}</li>
        <li>{t('service_about_api', info.api_version)}</li>
        {features(info).map((x) => (
          <li key={x.name} data-feature-on={x.on}>
            {x.on ? t('service_feature_on', x.name) : (x.off ?? t('service_feature_off', x.name))}
          </li>
        ))}
      </ul>
    </div>
  );
}
