/**
 * Ads Manager messages: the advertiser side (advertisers, authorizations requested, resend, change permissions,
 * unlink) and the owner side (requests made to the user's linked TikTok accounts, approve or reject).
 * Every call goes to the service with the session of the Gmail address the page names; these messages come only
 * from the extension's own pages (see the catalogue), never from the Gmail content script.
 */
import { listAll } from '@/utils/api/client';
import type { Authorization } from '@/utils/api/schemas';
import type { Handlers } from '@/utils/messaging/router';
import { serviceFor } from './service';

const PAGE = 100;

export const handlers: Handlers = {
  adsAdvertisers: async ({ gmail }) => {
    const client = await serviceFor(gmail);
    return listAll((cursor) => client.advertisers({ cursor, limit: PAGE }));
  },
  adsList: async ({ gmail, advertiser_id, status }) => {
    const client = await serviceFor(gmail);
    return listAll((cursor) => client.listAuthorizations({ advertiser_id, status, cursor, limit: PAGE }));
  },
  adsCreate: async ({ gmail, advertiser_id, username, permissions }) =>
    (await serviceFor(gmail)).createAuthorization({ advertiser_id, username: username.trim().replace(/^@/u, ''), permissions }),
  adsPatch: async ({ gmail, authorization_id, permissions }) => (await serviceFor(gmail)).patchAuthorization(authorization_id, permissions),
  adsResend: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).resendAuthorization(authorization_id),
  adsDelete: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).deleteAuthorization(authorization_id),
  adsRequests: async ({ gmail, status }) => {
    const client = await serviceFor(gmail);
    return listAll((cursor) => client.listRequests({ status, cursor, limit: PAGE }));
  },
  adsApprove: async ({ gmail, authorization_id, permissions }) => (await serviceFor(gmail)).approveRequest(authorization_id, permissions),
  adsReject: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).rejectRequest(authorization_id),
};

/**
 * The request a Gmail list row is about. A row shows only the subject (the review link with the authorization id
 * is in the body), so among the requests made to the user's accounts this picks the one whose advertiser the subject
 * names (and its `@account`, when the subject names one): pending before decided, newest first. Null when none fits.
 */
export async function requestNamedIn(gmail: string, subject: string): Promise<string | null> {
  const client = await serviceFor(gmail);
  const requests = await listAll((cursor) => client.listRequests({ cursor, limit: PAGE }));
  return pickRequestNamedIn(requests, subject)?.authorization_id ?? null;
}

export function pickRequestNamedIn(requests: Authorization[], subject: string): Authorization | null {
  const text = subject.toLowerCase();
  const mentions = [...text.matchAll(/@([a-z0-9_.]+)/g)].map((m) => m[1]!.replace(/\.$/, ''));
  const named = requests.filter(
    (a) => text.includes(a.advertiser.name.toLowerCase()) && (!mentions.length || mentions.includes(a.tiktok.username.toLowerCase())),
  );
  const rank = (a: Authorization) => (a.status === 'pending' ? 1 : 0);
  return named.sort((a, b) => rank(b) - rank(a) || b.requested_at.localeCompare(a.requested_at))[0] ?? null;
}
