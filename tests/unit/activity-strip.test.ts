/**
 * The popup's activity strip with the worker replaced by a scripted `send`: nothing while nothing is new, the counts
 * per kind of the chosen Gmail, Open (Ads: marks Ads read for that address and opens the Ads tab), Mark all read, and
 * what it announces (including a failure).
 */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));
vi.mock('@/utils/i18n', () => import('./support/i18n-en'));

const { ActivityStrip } = await import('@/entrypoints/popup/activity/ActivityStrip');

const GMAIL = 'alex@gmail.com';
type Unread = { messages: number; comments: number; followers: number; ads: number };
const NONE: Unread = { messages: 0, comments: 0, followers: 0, ads: 0 };

let root: HTMLElement;
let unread: Unread;
let failMarkRead = false;

beforeEach(() => {
  root = document.createElement('div');
  document.body.append(root);
  unread = { ...NONE };
  failMarkRead = false;
  send.mockReset();
  send.mockImplementation(async (name: string, data: { gmail: string; kinds?: (keyof Unread)[] }) => {
    expect(data.gmail).toBe(GMAIL);
    if (name === 'unreadCounts') return { ok: true, data: { ...unread } };
    if (name === 'markRead') {
      if (failMarkRead) return { ok: false, error: { code: 'unreachable', message: 'The worker did not answer.' } };
      for (const k of data.kinds!) unread[k] = 0;
      return { ok: true, data: { ...unread } };
    }
    throw new Error(`unexpected message ${name}`);
  });
});
afterEach(() => {
  render(null, root);
  root.remove();
});

const settle = async () => {
  for (let i = 0; i < 5; i++) await act(() => new Promise<void>((r) => setTimeout(r, 0)));
};
async function mount(onOpenAds = () => undefined) {
  await act(() => render(h(ActivityStrip, { gmail: ` ${GMAIL} `, onOpenAds }), root));
  await settle();
}
const lines = () => [...root.querySelectorAll('li')].map((li) => li.textContent);
const button = (name: string) =>
  [...root.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name)!;
const live = () => root.querySelector('[aria-live="polite"]')?.textContent;

describe('ActivityStrip', () => {
  it('shows nothing while nothing is new', async () => {
    await mount();
    expect(root.querySelector('[aria-label="New on TikTok"]')).toBeNull();
    expect(root.textContent).toBe('');
  });

  it('lists the unread kinds with their counts; Open on Ads marks Ads read and opens the Ads tab', async () => {
    unread = { messages: 2, comments: 0, followers: 1, ads: 3 };
    const onOpenAds = vi.fn();
    await mount(onOpenAds);
    expect(lines()).toEqual(['Messages2Open', 'Followers1Open', 'Ads3Open']);
    expect(button('Open Messages in Gmail (2 new)')).toBeTruthy();

    await act(() => button('Open the Ads tab (3 new)').click());
    await settle();
    expect(send).toHaveBeenCalledWith('markRead', { gmail: GMAIL, kinds: ['ads'] });
    expect(onOpenAds).toHaveBeenCalledOnce();
    expect(lines()).toEqual(['Messages2Open', 'Followers1Open']);
    expect(live()).toBe('Ads marked as read.');
  });

  it('Mark all read: announces it and says there is nothing new; a failure is announced and changes nothing', async () => {
    unread = { messages: 1, comments: 1, followers: 0, ads: 0 };
    await mount();
    failMarkRead = true;
    await act(() => button('Mark all read').click());
    await settle();
    expect(live()).toBe('That did not work: The worker did not answer.');
    expect(lines()).toHaveLength(2);

    failMarkRead = false;
    await act(() => button('Mark all read').click());
    await settle();
    expect(send).toHaveBeenLastCalledWith('unreadCounts', { gmail: GMAIL });
    expect(lines()).toEqual([]);
    expect(root.textContent).toContain('No new TikTok activity');
    expect(live()).toBe('All TikTok activity marked as read.');
  });
});
