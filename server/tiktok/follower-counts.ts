/**
 * New followers as counts (API 1.1 `ref.count`): TikTok has no follower webhook and names no follower, but
 * `business/get/` gives the account's `followers_count`. Every `TIKTOK_STATS_POLL_S` each active link's count is read;
 * the first reading is the baseline, and an increase since the last one makes one `follower.new` ("3 new followers")
 * through the core's `ingest` — written with the new count in one transaction, the row locked, so two instances
 * never report the same followers twice. A decrease only moves the baseline.
 */
import { eq } from 'drizzle-orm';
import type { Millis, Store } from '../../utils/service/ports';
import * as t from '../db/schema';
import type { WebhookTx } from '../webhooks';
import type { TikTokClient } from './client';

export class FollowerCounts {
  private lastPoll = 0;
  constructor(
    private readonly client: TikTokClient,
    private readonly atomically: <T>(fn: (tx: WebhookTx) => Promise<T>) => Promise<T>,
    private readonly pollMs: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Reads every active link's count when the interval has passed; returns how many links gained followers. */
  async poll(store: Store, now: Millis): Promise<number> {
    if (now - this.lastPoll < this.pollMs) return 0;
    this.lastPoll = now;
    let gained = 0;
    for (const link of await store.links.find({ status: 'active' })) {
      let count: number;
      try {
        count = Number(
          (await this.client.businessProfile(link.grant.access_token, link.tiktok.open_id)).followers_count,
        );
      } catch (e) {
        this.log(`followers of @${link.tiktok.username}: TikTok did not tell (${(e as Error).message}); next time`);
        continue;
      }
      if (Number.isInteger(count) && count >= 0 && (await this.record(link.tiktok.open_id, count, now))) gained++;
    }
    return gained;
  }

  /** Stores the count; an increase over the stored one becomes one event. True when it did. */
  private record(open_id: string, count: number, now: Millis): Promise<boolean> {
    return this.atomically(async (tx) => {
      const [before] = await tx.db.select().from(t.ttStats).where(eq(t.ttStats.open_id, open_id)).for('update');
      const row = { open_id, followers_count: count, checked_at: now };
      await tx.db.insert(t.ttStats).values(row).onConflictDoUpdate({ target: t.ttStats.open_id, set: row });
      if (!before || count <= before.followers_count) return false;
      await tx.ingest.followerNew({ open_id, count: count - before.followers_count });
      return true;
    });
  }
}
