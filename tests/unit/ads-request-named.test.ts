/** Which Ads request a Gmail list row is about, from its subject alone (the row has no review link). */
import { describe, expect, it } from 'vitest';
import type { Authorization } from '@/utils/api/schemas';
import { pickRequestNamedIn } from '@/entrypoints/background/ads';

const request = (
  id: string,
  advertiser: string,
  username: string,
  status: Authorization['status'],
  day: number,
): Authorization => ({
  authorization_id: id,
  advertiser: { advertiser_id: `adv-${advertiser}`, name: advertiser },
  tiktok: { username, display_name: username, account_type: 'personal' },
  status,
  permissions: { requested: ['spark_ads'], granted: [] },
  requested_at: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  decided_at: null,
  expires_at: `2026-12-${String(day).padStart(2, '0')}T10:00:00.000Z`,
});

describe('pickRequestNamedIn', () => {
  const all = [
    request('old-sunset', 'Sunset Skincare', 'alex.rivera', 'rejected', 2),
    request('sunset', 'Sunset Skincare', 'alex.rivera', 'pending', 20),
    request('sunset-other-account', 'Sunset Skincare', 'riveracreates', 'pending', 25),
    request('rivera', 'Rivera Coffee Co.', 'alex.rivera', 'pending', 21),
  ];

  it('picks the advertiser and account the subject names, pending before decided', () => {
    expect(
      pickRequestNamedIn(all, 'Sunset Skincare requested authorization for your TikTok account @alex.rivera')
        ?.authorization_id,
    ).toBe('sunset');
    expect(
      pickRequestNamedIn(all, 'Sunset Skincare requested authorization for your TikTok account @riveracreates')
        ?.authorization_id,
    ).toBe('sunset-other-account');
    expect(pickRequestNamedIn(all, 'rivera coffee co. wants to use @alex.rivera')?.authorization_id).toBe('rivera');
  });

  it('takes the newest when the subject names no account, and nothing when no advertiser matches', () => {
    expect(pickRequestNamedIn(all, 'New request from Sunset Skincare')?.authorization_id).toBe('sunset-other-account');
    expect(pickRequestNamedIn(all, 'Acme requested authorization for your TikTok account @alex.rivera')).toBeNull();
    expect(pickRequestNamedIn([], 'Sunset Skincare')).toBeNull();
  });
});
