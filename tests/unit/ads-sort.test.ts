import { describe, expect, it } from 'vitest';
import { sortAuthorizations } from '@/components/ads/sort';
import type { Authorization } from '@/utils/api/schemas';

const a = (username: string, status: Authorization['status'], requested_at: string, decided_at: string | null = null) =>
  ({
    authorization_id: username,
    tiktok: { username },
    advertiser: { name: 'Rivera' },
    status,
    requested_at,
    decided_at,
    expires_at: null,
  }) as unknown as Authorization;

const items = [
  a('Maya', 'pending', '2026-01-03'),
  a('ab', 'rejected', '2026-01-01', '2026-01-02'),
  a('zed', 'authorized', '2026-01-02', '2026-01-05'),
];
const names = (xs: Authorization[]) => xs.map((x) => x.tiktok.username);

describe('sortAuthorizations', () => {
  it('sorts by account ignoring case, either way, without changing the input', () => {
    expect(names(sortAuthorizations(items, { key: 'account', descending: false }))).toEqual(['ab', 'Maya', 'zed']);
    expect(names(sortAuthorizations(items, { key: 'account', descending: true }))).toEqual(['zed', 'Maya', 'ab']);
    expect(names(items)).toEqual(['Maya', 'ab', 'zed']);
  });
  it('sorts by dates and status; ties keep the newest request first', () => {
    expect(names(sortAuthorizations(items, { key: 'requested', descending: true }))).toEqual(['Maya', 'zed', 'ab']);
    expect(names(sortAuthorizations(items, { key: 'decided', descending: true }))).toEqual(['zed', 'ab', 'Maya']);
    expect(names(sortAuthorizations(items, { key: 'status', descending: false }))).toEqual(['zed', 'Maya', 'ab']);
    expect(names(sortAuthorizations(items, { key: 'advertiser', descending: false }))).toEqual(['Maya', 'zed', 'ab']);
  });
});
