/** `GET /v1/service` (API 1.1 discovery, no session): what this deployment is and can do. */
import type { ServiceInfo } from '../api/schemas';
import { route, type Route } from './context';
import type { TikTok } from './ports';

export interface About {
  name?: string;
  notification_senders?: string[];
  reply_by_email?: boolean;
  reply_domain?: string | null;
}

export function serviceInfo(tiktok: TikTok, about: About): ServiceInfo {
  const t = tiktok.info();
  return {
    name: about.name ?? 'TikTok Gmail Link service',
    api_version: '1.1',
    tiktok: t.kind,
    features: {
      follow: t.follow,
      ads: t.ads,
      ads_approve_in_api: t.ads_approve_in_api,
      reply_by_email: about.reply_by_email ?? false,
    },
    notification_senders: [...(about.notification_senders ?? [])],
    ...(about.reply_domain && { reply_domain: about.reply_domain }),
  };
}

export const serviceInfoRoutes = (about: About): Route[] => [
  route('GET', '/v1/service', async (ctx) => serviceInfo(ctx.tiktok, about)),
];
