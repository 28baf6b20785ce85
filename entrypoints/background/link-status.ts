/**
 * The link of each Gmail address once signed in: saved when the sign-in finishes, re-read from the service at most
 * once a minute (or when the user asks), forgotten on unlink or when the service no longer knows it.
 */
import { AppError, isAppError } from '@/utils/api/errors';
import type { Link } from '@/utils/api/schemas';
import { normaliseGmail } from '@/utils/gmail-address';
import { t } from '@/utils/i18n';
import type { LinkFlow, LinkState } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { flowItem, saveFlow } from './link-flow-store';
import { assertMayActFor } from './sender-policy';
import { clearSession, linkOf, saveLink, serviceFor, sessionOf } from './service';

const REFRESH_MS = 60_000;
const lastChecked = new Map<string, number>();

/** `oauth/complete` with the URL the sign-in ended on; the link is saved and the flow is done. */
export async function finishSignIn(
  gmail: string,
  flow: LinkFlow,
  state: string,
  callbackUrl: string,
): Promise<LinkFlow> {
  let link: Link;
  try {
    link = await (await serviceFor(gmail)).oauthComplete(state, callbackUrl);
  } catch (e) {
    const denied = new URL(callbackUrl).searchParams.get('error') === 'access_denied';
    if (isAppError(e) && (denied || e.extra.details?.reason === 'access_denied'))
      throw new AppError('denied', t('link_err_denied'));
    throw e;
  }
  await saveLink(gmail, link);
  lastChecked.set(gmail, Date.now());
  return saveFlow({ ...flow, step: 'linked', link, error: null });
}

function healthOf(link: Link | null): LinkState['health'] {
  if (!link || link.status === 'revoked') return 'unlinked';
  return link.status === 'reauth_required' ? 'reauth_required' : 'ok';
}

/** Re-reads the link from the service; a lost session or a revoked link leaves the Gmail address unlinked. */
async function refreshLink(gmail: string): Promise<LinkState> {
  const cached = await linkOf(gmail);
  if (!cached) return { gmail, link: null, health: 'unlinked' };
  try {
    const link = await (await serviceFor(gmail)).getLink(cached.link_id);
    lastChecked.set(gmail, Date.now());
    if (link.status === 'revoked') return forget(gmail);
    await saveLink(gmail, link);
    await flowItem(gmail).update((flow) => ({ ...flow, step: 'linked', link }));
    return { gmail, link, health: healthOf(link) };
  } catch (e) {
    if (isAppError(e) && e.code === 'reauth_required') {
      const link = { ...cached, status: 'reauth_required' as const };
      await saveLink(gmail, link);
      return { gmail, link, health: 'reauth_required' };
    }
    if (isAppError(e) && ['access_token_invalid', 'not_linked', 'not_found'].includes(e.code)) return forget(gmail);
    if (isAppError(e) && e.code === 'unreachable') return { gmail, link: cached, health: 'unreachable' };
    throw e;
  }
}

async function forget(gmail: string): Promise<LinkState> {
  await saveLink(gmail, null);
  await clearSession(gmail);
  await flowItem(gmail).remove();
  return { gmail, link: null, health: 'unlinked' };
}

export const handlers: Handlers = {
  /** Health for the popup and the Gmail content script; never a secret. */
  linkState: async ({ gmail }, sender) => {
    await assertMayActFor(sender, gmail);
    const key = normaliseGmail(gmail);
    const cached = await linkOf(key);
    if (!cached || Date.now() - (lastChecked.get(key) ?? 0) < REFRESH_MS)
      return { gmail: key, link: cached, health: healthOf(cached) };
    return refreshLink(key);
  },

  linkConfirm: async ({ gmail }) => refreshLink(normaliseGmail(gmail)),

  unlink: async ({ gmail }) => {
    const key = normaliseGmail(gmail);
    const link = await linkOf(key);
    if (link && (await sessionOf(key))) {
      try {
        await (await serviceFor(key)).deleteLink(link.link_id);
      } catch (e) {
        // A link the service no longer knows (or a session it ended) is already gone there; anything else is retried.
        if (!(isAppError(e) && ['not_found', 'access_token_invalid', 'not_linked'].includes(e.code))) throw e;
      }
    }
    return forget(key);
  },
};
