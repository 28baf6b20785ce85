/** Filtering and searching the list of requested accounts (pure, so it is fast to test and to run on every key). */
import type { Authorization, AuthorizationStatus } from '@/utils/api/schemas';

export type StatusFilter = AuthorizationStatus | 'all';

export interface ListQuery {
  status: StatusFilter;
  search: string;
}

/** Newest request first; search matches the username (a leading `@` ignored) or the display name, case-insensitively. */
export function filterAuthorizations(items: readonly Authorization[], query: ListQuery): Authorization[] {
  const needle = query.search.trim().replace(/^@/u, '').toLowerCase();
  return items
    .filter((a) => query.status === 'all' || a.status === query.status)
    .filter(
      (a) =>
        needle === '' ||
        a.tiktok.username.toLowerCase().includes(needle) ||
        a.tiktok.display_name.toLowerCase().includes(needle),
    )
    .sort((a, b) => (a.requested_at < b.requested_at ? 1 : a.requested_at > b.requested_at ? -1 : 0));
}

export function countByStatus(items: readonly Authorization[]): Record<StatusFilter, number> {
  const counts: Record<StatusFilter, number> = {
    all: items.length,
    pending: 0,
    authorized: 0,
    rejected: 0,
    expired: 0,
    revoked: 0,
  };
  for (const a of items) counts[a.status]++;
  return counts;
}

/** What changed status between two fetches, for the live announcement. */
export function statusChanges(before: readonly Authorization[], after: readonly Authorization[]): Authorization[] {
  const previous = new Map(before.map((a) => [a.authorization_id, a.status]));
  return after.filter((a) => {
    const was = previous.get(a.authorization_id);
    return was !== undefined && was !== a.status;
  });
}
