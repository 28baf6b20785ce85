/**
 * Ads on real TikTok, through the operator's Business Center (research real-service.md §1–§2): TikTok has no
 * "ask @user by username" call. A request gets the Business Center's authorization link (`bc/asset/account/
 * authorization/` → `bc_auth_qr_code`), which the owner opens in TikTok to grant access (`invite_url`; the API's
 * approve/reject answer `not_supported` with it); the status is read back from the Business Center's TikTok accounts
 * (`bc/asset/get/`, `asset_type=TT_ACCOUNT`): `BOUND` approves a pending request, `REJECTED` rejects it, each through
 * the core's `ingest` (an event for the advertiser). The advertiser is the Business Center itself; who may ask, and
 * with which role, is the operator's `TIKTOK_BC_MEMBERS`.
 */
import type { Ingest } from '../../utils/service';
import { ServiceError } from '../../utils/service/errors';
import type { Advertiser, AdvertiserRole, Millis, Store, TikTokUser } from '../../utils/service/ports';
import { TikTokError } from '../../utils/service/ports';
import type { AdsConfig } from '../config';
import type { TikTokClient } from './client';

export const NO_ADS_REASON =
  'This service is not connected to a TikTok Business Center, so it cannot ask for Ads authorizations. Whoever runs it can connect one.';
const REVOKE_REASON =
  'Ending an authorization is done in TikTok Business Center: remove the account under Assets → TikTok accounts.';

export class BusinessCenter {
  private lastPoll = 0;
  constructor(
    private readonly cfg: AdsConfig,
    private readonly client: TikTokClient,
    /** Maps the client's errors to the port's (./adapter.ts `toPortError`). */
    private readonly call: <T>(p: Promise<T>) => Promise<T>,
  ) {}

  get advertiser(): Advertiser {
    return { advertiser_id: this.cfg.bcId, name: this.cfg.name };
  }

  /** The Business Center, with the Gmail user's role on it (null: not a member). */
  advertisers(gmail: string): (Advertiser & { role: AdvertiserRole | null })[] {
    return [{ ...this.advertiser, role: this.cfg.members.get(gmail.trim().toLowerCase()) ?? null }];
  }

  /**
   * TikTok cannot look a username up for an app: every valid name is taken as asked, lowercase (TikTok's usernames
   * are), and the owner's TikTok shows the real account when they open the link.
   */
  users(usernames: string[]): Map<string, TikTokUser> {
    return new Map(
      usernames.map((u) => [
        u,
        { username: u.toLowerCase(), display_name: u.toLowerCase(), avatar_url: '', account_type: 'business' as const },
      ]),
    );
  }

  async inviteLink(): Promise<string> {
    return this.call(this.client.bcInviteLink(this.cfg.accessToken, this.cfg.bcId));
  }

  revoke(): never {
    throw new TikTokError('not_supported', REVOKE_REASON, {
      details: { reason: REVOKE_REASON, fallback_url: 'https://business.tiktok.com/' },
    });
  }

  /**
   * Reads the accounts' status when `TIKTOK_BC_POLL_S` has passed and there are pending requests, and reports each
   * decision through `ingest`. Returns how many requests it settled.
   */
  async poll(store: Store, ingest: Ingest, now: Millis): Promise<number> {
    if (now - this.lastPoll < this.cfg.pollMs) return 0;
    const pending = await store.authorizations.find({ advertiser_id: this.cfg.bcId, status: 'pending' });
    if (pending.length === 0) return 0;
    this.lastPoll = now;
    const accounts = await this.call(this.client.bcAccounts(this.cfg.accessToken, this.cfg.bcId));
    const status = new Map(
      accounts.map((a) => [a.asset_name.replace(/^@/, '').toLowerCase(), a.relation_status.toUpperCase()]),
    );
    let settled = 0;
    for (const a of pending) {
      const s = status.get(a.username.toLowerCase());
      const decision = s === 'BOUND' ? 'approve' : s === 'REJECTED' ? 'reject' : null;
      if (!decision) continue;
      // Another instance may have settled it since the list was read: that request is then no longer pending.
      const done = await ingest.authorizationDecided({ authorization_id: a.authorization_id, decision }).then(
        () => true,
        (e: unknown) => {
          if (e instanceof ServiceError && e.code === 'invalid_params') return false;
          throw e;
        },
      );
      if (done) settled++;
    }
    return settled;
  }
}
