import { describe, expect, it } from 'vitest';
import type { Authorization, AuthorizationStatus } from '@/utils/api/schemas';
import { countByStatus, filterAuthorizations, statusChanges } from '@/components/ads/filter';

const auth = (
  id: string,
  username: string,
  status: AuthorizationStatus,
  day: number,
  display = username,
): Authorization => ({
  authorization_id: id,
  advertiser: { advertiser_id: 'adv1', name: 'Rivera Coffee Co.' },
  tiktok: { username, display_name: display, account_type: 'personal' },
  status,
  permissions: { requested: ['spark_ads'], granted: status === 'authorized' ? ['spark_ads'] : [] },
  requested_at: `2026-11-${String(day).padStart(2, '0')}T10:00:00.000Z`,
  decided_at: null,
  expires_at: null,
});

const items = [
  auth('1', 'maya.creates', 'pending', 3, 'Maya'),
  auth('2', 'jordan_films', 'rejected', 5, 'Jordan Films'),
  auth('3', 'coffeelab.co', 'authorized', 1, 'Coffee Lab'),
  auth('4', 'maya_two', 'authorized', 4),
];

describe('filterAuthorizations', () => {
  it('shows everything newest first', () => {
    expect(filterAuthorizations(items, { status: 'all', search: '' }).map((a) => a.authorization_id)).toEqual([
      '2',
      '4',
      '1',
      '3',
    ]);
  });
  it('filters by status', () => {
    expect(filterAuthorizations(items, { status: 'authorized', search: '' }).map((a) => a.authorization_id)).toEqual([
      '4',
      '3',
    ]);
    expect(filterAuthorizations(items, { status: 'expired', search: '' })).toEqual([]);
  });
  it('searches usernames and display names, ignoring case and a leading @', () => {
    expect(filterAuthorizations(items, { status: 'all', search: ' @MAYA' }).map((a) => a.authorization_id)).toEqual([
      '4',
      '1',
    ]);
    expect(filterAuthorizations(items, { status: 'all', search: 'coffee lab' }).map((a) => a.authorization_id)).toEqual(
      ['3'],
    );
    expect(filterAuthorizations(items, { status: 'pending', search: 'maya' }).map((a) => a.authorization_id)).toEqual([
      '1',
    ]);
  });
});

describe('countByStatus and statusChanges', () => {
  it('counts each status', () => {
    expect(countByStatus(items)).toEqual({ all: 4, pending: 1, authorized: 2, rejected: 1, expired: 0, revoked: 0 });
  });
  it('reports only authorizations whose status changed', () => {
    const after = [{ ...items[0]!, status: 'authorized' as const }, items[1]!, auth('5', 'new.one', 'pending', 6)];
    expect(statusChanges(items, after).map((a) => a.authorization_id)).toEqual(['1']);
  });
});
