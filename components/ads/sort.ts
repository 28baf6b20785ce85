/** Sorting the large view's table by one column, either way; ties keep the newest request first. */
import type { Authorization } from '@/utils/api/schemas';

export type SortKey = 'status' | 'account' | 'advertiser' | 'requested' | 'decided';
export interface Sort {
  key: SortKey;
  descending: boolean;
}

const value: Record<SortKey, (a: Authorization) => string> = {
  status: (a) => a.status,
  account: (a) => a.tiktok.username.toLowerCase(),
  advertiser: (a) => a.advertiser.name.toLowerCase(),
  requested: (a) => a.requested_at,
  decided: (a) => a.decided_at ?? a.expires_at ?? '',
};

export function sortAuthorizations(items: readonly Authorization[], { key, descending }: Sort): Authorization[] {
  const get = value[key];
  return [...items].sort((x, y) => {
    const order = get(x).localeCompare(get(y)) * (descending ? -1 : 1);
    return order || y.requested_at.localeCompare(x.requested_at);
  });
}
