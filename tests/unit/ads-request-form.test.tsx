import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Advertiser, Authorization } from '@/utils/api/schemas';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));

const { RequestForm } = await import('@/components/ads/RequestForm');

const admin: Advertiser = { advertiser_id: 'adv1', name: 'Rivera Coffee Co.', role: 'admin' };
const operator: Advertiser = { advertiser_id: 'adv2', name: 'Northwind', role: 'operator' };

const authorization = (username: string): Authorization => ({
  authorization_id: `auth_${username}`,
  advertiser: { advertiser_id: 'adv1', name: 'Rivera Coffee Co.' },
  tiktok: { username, display_name: username, account_type: 'personal' },
  status: 'pending',
  permissions: { requested: ['spark_ads'], granted: [] },
  requested_at: '2026-11-23T08:00:00.000Z',
  decided_at: null,
  expires_at: '2026-11-30T08:00:00.000Z',
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

function mount(advertiser: Advertiser) {
  const onCreated = vi.fn();
  const onDuplicate = vi.fn();
  const root = document.createElement('div');
  document.body.append(root);
  act(() =>
    render(
      <RequestForm gmail="alex@gmail.com" advertiser={advertiser} onCreated={onCreated} onDuplicate={onDuplicate} />,
      root,
    ),
  );
  const field = () => root.querySelector<HTMLInputElement | HTMLTextAreaElement>('#ads-username')!;
  const type = (value: string) =>
    act(() => {
      field().value = value;
      field().dispatchEvent(new Event('input', { bubbles: true }));
    });
  const submit = async () => {
    act(() => {
      root.querySelector('form')!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    });
    await flush();
  };
  return { root, onCreated, onDuplicate, type, submit };
}

beforeEach(() => send.mockReset());
afterEach(() => {
  document.body.replaceChildren();
});

describe('RequestForm', () => {
  it('never sends a username that breaks the rules, and says what is wrong', async () => {
    const f = mount(admin);
    f.type('@bad name');
    await f.submit();
    expect(send).not.toHaveBeenCalled();
    expect(f.root.querySelector('#ads-username-problem')?.textContent).toBe('ads_username_invalid_char');
    expect(f.root.querySelector('#ads-username')?.getAttribute('aria-invalid')).toBe('true');
  });

  it('sends the username without @ and spaces, with Spark Ads on by default', async () => {
    const f = mount(admin);
    send.mockResolvedValue({ ok: true, data: authorization('sam.eats') });
    f.type('  @sam.eats ');
    await f.submit();
    expect(send).toHaveBeenCalledWith('adsCreate', {
      gmail: 'alex@gmail.com',
      advertiser_id: 'adv1',
      username: 'sam.eats',
      permissions: ['spark_ads'],
    });
    expect(f.onCreated).toHaveBeenCalledWith(authorization('sam.eats'));
  });

  it('hands back the existing request on duplicate_request instead of reporting an error', async () => {
    const f = mount(admin);
    send.mockResolvedValue({
      ok: false,
      error: { code: 'duplicate_request', message: 'exists', details: { authorization_id: 'auth_9' } },
    });
    f.type('maya.creates');
    await f.submit();
    expect(f.onDuplicate).toHaveBeenCalledWith('auth_9');
    expect(f.root.querySelector('.ads-problem')).toBeNull();
  });

  it('requests every pasted username once and reports sent / already existing', async () => {
    const f = mount(admin);
    act(() => {
      const toggle = f.root.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
      toggle.checked = true;
      toggle.dispatchEvent(new Event('change', { bubbles: true }));
    });
    send.mockResolvedValueOnce({ ok: true, data: authorization('sam.eats') }).mockResolvedValueOnce({
      ok: false,
      error: { code: 'duplicate_request', message: 'exists', details: { authorization_id: 'auth_2' } },
    });
    f.type('@sam.eats, maya.creates\n@Sam.Eats');
    await f.submit();
    expect(send.mock.calls.map((c) => (c[1] as { username: string }).username)).toEqual(['sam.eats', 'maya.creates']);
    expect(f.root.querySelector('[role="status"]')?.textContent).toBe('ads_bulk_sent_one ads_bulk_existed_one');
  });

  it('is disabled for a role without admin, with the reason', () => {
    const f = mount(operator);
    expect(f.root.querySelector<HTMLButtonElement>('button[type="submit"]')!.disabled).toBe(true);
    expect(f.root.querySelector('#ads-request-blocked')?.textContent).toBe('ads_needs_admin');
  });
});
