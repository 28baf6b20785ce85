/**
 * Ads Manager messages: the advertiser side (advertisers, authorizations requested, resend, change permissions,
 * unlink) and the owner side (requests made to the user's linked TikTok accounts, approve or reject).
 * Every call goes to the service with the session of the Gmail address the page names; these messages come only
 * from the extension's own pages (see the catalogue), never from the Gmail content script.
 */
import { listAll } from '@/utils/api/client';
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
