/**
 * Ads Manager messages: the advertiser side (advertisers, authorizations requested, resend, change permissions,
 * unlink) and the owner side (requests made to the user's linked TikTok accounts, approve or reject).
 * Every call goes to the service with the session of the Gmail address the page names; these messages come only
 * from the extension's own pages (see the catalogue), never from the Gmail content script.
 */
import browser from 'webextension-polyfill';
import { listAll } from '@/utils/api/client';
import { AppError } from '@/utils/api/errors';
import type { Authorization } from '@/utils/api/schemas';
import { permissionList } from '@/components/ads/labels';
import { t } from '@/utils/i18n';
import type { Handlers } from '@/utils/messaging/router';
import { isTikTokPageUrl } from '@/utils/tiktok-urls';
import { normaliseGmail } from '@/utils/gmail-address';
import { tabShowing } from './gmail-tabs';
import { serviceFor } from './service';

const PAGE = 100;

/**
 * Gmail's compose window (`view=cm&fs=1`) for the account at `/mail/u/<index>/`, or for `gmail` by address, with the
 * invite email ready: the subject, a body with the invite link; the user types the owner's address.
 */
export function inviteComposeUrl(a: Authorization, account: { index: number } | { gmail: string }): string {
  const params = new URLSearchParams({
    ...('gmail' in account && { authuser: account.gmail }),
    view: 'cm',
    fs: '1',
    su: t('ads_invite_email_subject', a.advertiser.name),
    body: t('ads_invite_email_body', [
      a.tiktok.username,
      a.advertiser.name,
      permissionList(a.permissions.requested),
      a.invite_url ?? '',
    ]),
  });
  return `https://mail.google.com/mail/${'index' in account ? `u/${account.index}/` : ''}?${params.toString().replace(/\+/g, '%20')}`;
}

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
    (await serviceFor(gmail)).createAuthorization({
      advertiser_id,
      username: username.trim().replace(/^@/u, ''),
      permissions,
    }),
  adsPatch: async ({ gmail, authorization_id, permissions }) =>
    (await serviceFor(gmail)).patchAuthorization(authorization_id, permissions),
  adsResend: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).resendAuthorization(authorization_id),
  adsDelete: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).deleteAuthorization(authorization_id),
  adsRequests: async ({ gmail, status }) => {
    const client = await serviceFor(gmail);
    return listAll((cursor) => client.listRequests({ status, cursor, limit: PAGE }));
  },
  adsApprove: async ({ gmail, authorization_id, permissions }) =>
    (await serviceFor(gmail)).approveRequest(authorization_id, permissions),
  adsReject: async ({ gmail, authorization_id }) => (await serviceFor(gmail)).rejectRequest(authorization_id),
  /** The link comes from the service's own answer (a tiktok.com page), never from the caller. */
  adsEmailInvite: async ({ gmail, authorization_id }) => {
    const a = await (await serviceFor(gmail)).getAuthorization(authorization_id);
    if (a.status !== 'pending' || !isTikTokPageUrl(a.invite_url))
      throw new AppError('invalid_params', t('ads_invite_none', a.tiktok.username));
    const tab = await tabShowing(gmail);
    const url = inviteComposeUrl(a, tab ? { index: tab.account_index } : { gmail: normaliseGmail(gmail) });
    const opener = tab ? await browser.tabs.get(tab.tabId).catch(() => null) : null;
    // A new tab beside that account's Gmail tab (its inbox stays as it was), or a new tab when none is open.
    await browser.tabs.create(
      opener ? { url, windowId: opener.windowId, index: opener.index + 1, openerTabId: opener.id } : { url },
    );
    return { ok: true };
  },
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
    (a) =>
      text.includes(a.advertiser.name.toLowerCase()) &&
      (!mentions.length || mentions.includes(a.tiktok.username.toLowerCase())),
  );
  const rank = (a: Authorization) => (a.status === 'pending' ? 1 : 0);
  return named.sort((a, b) => rank(b) - rank(a) || b.requested_at.localeCompare(a.requested_at))[0] ?? null;
}
