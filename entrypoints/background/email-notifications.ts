/**
 * Options → Emails from the service (issue 15): for each linked Gmail address, which TikTok activity the service
 * emails it (`Link.notifications`, API 1.1), read fresh from the service (the one-click unsubscribe of an email turns a
 * kind off there) and changed with `PATCH /v1/links/{id}/notifications`. Extension pages only (catalogue).
 */
import type { Link } from '@/utils/api/schemas';
import type { EmailedAccount } from '@/utils/messaging/catalogue';
import type { Handlers } from '@/utils/messaging/router';
import { normaliseGmail } from '@/utils/gmail-address';
import { activeLinkOf, linkOf, saveLink, serviceFor, sessionGmails } from './service';
import { serviceInfo } from './service-info';

const accountOf = (gmail: string, link: Link, stale: boolean): EmailedAccount => ({
  gmail,
  username: link.tiktok.username,
  status: link.status,
  notifications: link.notifications ?? null,
  stale,
});

/** The link of `gmail` as the service has it now (kept when it changed), else the kept one marked stale. */
async function freshAccount(gmail: string): Promise<EmailedAccount | null> {
  const kept = await linkOf(gmail);
  if (!kept || kept.status === 'revoked') return null;
  try {
    const link = await (await serviceFor(gmail, { maxRetries: 1 })).getLink(kept.link_id);
    if (JSON.stringify(link) !== JSON.stringify(kept)) await saveLink(gmail, link);
    return link.status === 'revoked' ? null : accountOf(gmail, link, false);
  } catch {
    return accountOf(gmail, kept, true);
  }
}

export const handlers: Handlers = {
  emailNotifications: async () => {
    const [info, gmails] = await Promise.all([serviceInfo(), sessionGmails()]);
    const accounts = await Promise.all(gmails.map(freshAccount));
    return {
      reply_by_email: info?.features.reply_by_email ?? false,
      accounts: accounts.filter((a): a is EmailedAccount => a !== null),
    };
  },
  emailNotificationsSet: async ({ gmail, changes }) => {
    const key = normaliseGmail(gmail);
    const link = await activeLinkOf(key);
    const updated = await (await serviceFor(key)).setLinkNotifications(link.link_id, changes);
    await saveLink(key, updated);
    return accountOf(key, updated, false);
  },
};
