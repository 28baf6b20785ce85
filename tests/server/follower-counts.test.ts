/**
 * New followers as counts on the server: TikTok names no follower and sends no follower webhook, so the server reads
 * `business/get/`'s `followers_count` (every TIKTOK_STATS_POLL_S) and an increase becomes one `follower.new` with
 * `ref.count`, counted as unread; the first reading and a decrease make none.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EmulatedAccount } from '../support/tiktok-emulator';
import { eventually, startStack, type Stack } from './harness';

describe('follower counts', () => {
  let s: Stack;
  let maya: EmulatedAccount;
  let token: string;
  beforeAll(async () => {
    s = await startStack({ db: 'pglite', env: { TIKTOK_STATS_POLL_S: '1' } });
    maya = s.tiktok.addAccount({ username: 'maya.creates', followers_count: 1200 });
    ({ token } = await s.link('alex@gmail.com', 'maya.creates'));
  }, 60_000);
  afterAll(() => s?.stop());

  const feed = async () =>
    (await s.api('GET', '/v1/events?limit=100', undefined, { token })).data as {
      items: { type: string; summary: string; ref: { count?: number } }[];
      unread: { followers: number };
    };
  const readings = () => s.tiktok.calls.filter((c) => c.path.startsWith('/open_api/v1.3/business/get/')).length;

  it('an increase is one "N new followers" event; the baseline and a decrease are none', async () => {
    const before = readings();
    await eventually(async () => readings() >= before + 2, 10_000); // the baseline was read (and read again)
    expect((await feed()).items.filter((e) => e.type === 'follower.new')).toHaveLength(0);
    maya.followers_count += 3;
    const ev = await eventually(async () => (await feed()).items.find((e) => e.type === 'follower.new'), 10_000);
    expect(ev).toMatchObject({ summary: '3 new followers', ref: { count: 3 } });
    expect((await feed()).unread.followers).toBe(3);
    maya.followers_count -= 5;
    const after = readings();
    await eventually(async () => readings() >= after + 2, 10_000);
    maya.followers_count += 1; // back above the last reading by 1, still below the first
    await eventually(async () => (await feed()).items.filter((e) => e.type === 'follower.new').length === 2, 10_000);
    expect((await feed()).items.filter((e) => e.type === 'follower.new').map((e) => e.ref.count)).toEqual([3, 1]);
  });
});
