/**
 * Options → Emails from the service (issue 15): per linked account, the kinds the service emails as checkboxes that
 * change one kind at a time through the worker, the reply-by-email sentence only where the service takes replies,
 * and nothing at all for a service that emails no activity. The worker is a scripted `send` (tests/unit/support).
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotificationSettings } from '@/utils/api/schemas';
import type { EmailedAccount } from '@/utils/messaging/catalogue';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));

const { EmailsSection } = await import('@/entrypoints/options/EmailsSection');

const kinds = (on: (keyof NotificationSettings)[]): NotificationSettings => ({
  messages: on.includes('messages'),
  comments: on.includes('comments'),
  mentions: on.includes('mentions'),
  followers: on.includes('followers'),
  ads: on.includes('ads'),
});
const account = (gmail: string, notifications: NotificationSettings | null, stale = false): EmailedAccount => ({
  gmail,
  username: gmail.split('@')[0]!,
  status: 'active',
  notifications,
  stale,
});

const flush = () => act(async () => new Promise((r) => setTimeout(r, 0)));

async function mount(answer: { reply_by_email: boolean; accounts: EmailedAccount[] }) {
  send.mockImplementation(async (name: string) =>
    name === 'emailNotifications'
      ? { ok: true, data: answer }
      : { ok: false, error: { code: 'x', message: 'unscripted' } },
  );
  const root = document.createElement('div');
  document.body.append(root);
  act(() => render(<EmailsSection service="service https://tgl.example.com" />, root));
  await flush();
  /** The checkboxes of the account at `gmail` (its fieldset is in the order of the answer), by label. */
  const boxes = (gmail: string) => {
    const fieldset = root.querySelectorAll('fieldset')[answer.accounts.findIndex((a) => a.gmail === gmail)]!;
    return Object.fromEntries(
      [...fieldset.querySelectorAll('label')].map((l) => [l.textContent, l.querySelector('input')!]),
    );
  };
  return { root, boxes };
}

beforeEach(() => {
  send.mockReset();
});
afterEach(() => document.body.replaceChildren());

describe('Emails from the service', () => {
  it('one fieldset per linked account with its emailed kinds, and the reply-by-email sentence', async () => {
    const { root, boxes } = await mount({
      reply_by_email: true,
      accounts: [
        account('robin@gmail.com', kinds(['messages', 'comments'])),
        account('sam@gmail.com', kinds(['followers'])),
      ],
    });
    expect(root.querySelector('h2')!.textContent).toBe('options_emails_heading');
    expect(root.querySelector('[data-testid=reply-by-email]')!.textContent).toBe('options_emails_reply');
    const robin = boxes('robin@gmail.com');
    expect(Object.keys(robin)).toEqual([
      'options_emails_messages',
      'options_emails_comments',
      'options_emails_mentions',
      'options_emails_followers',
      'options_emails_ads',
    ]);
    expect(Object.values(robin).map((b) => b.checked)).toEqual([true, true, false, false, false]);
    expect(Object.values(boxes('sam@gmail.com')).map((b) => b.checked)).toEqual([false, false, false, true, false]);
  });

  it('a change sends that one kind for that account, and shows what the service kept', async () => {
    const { root, boxes } = await mount({
      reply_by_email: true,
      accounts: [account('robin@gmail.com', kinds(['messages', 'comments']))],
    });
    send.mockImplementation(async () => ({ ok: true, data: account('robin@gmail.com', kinds(['comments'])) }));
    act(() => void boxes('robin@gmail.com').options_emails_messages!.click());
    await flush();
    expect(send).toHaveBeenLastCalledWith('emailNotificationsSet', {
      gmail: 'robin@gmail.com',
      changes: { messages: false },
    });
    expect(Object.values(boxes('robin@gmail.com')).map((b) => b.checked)).toEqual([false, true, false, false, false]);
    expect(root.querySelector('[data-testid=emails-status]')!.textContent).toBe('options_emails_saved');
  });

  it('the box changes at once and the account waits for the service before the next change', async () => {
    const { root, boxes } = await mount({
      reply_by_email: true,
      accounts: [account('robin@gmail.com', kinds(['messages']))],
    });
    let answer: (v: unknown) => void = () => undefined;
    send.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    act(() => void boxes('robin@gmail.com').options_emails_ads!.click());
    await flush();
    expect(boxes('robin@gmail.com').options_emails_ads!.checked).toBe(true);
    expect(root.querySelector('fieldset')!.disabled).toBe(true);
    await act(async () => answer({ ok: true, data: account('robin@gmail.com', kinds(['messages', 'ads'])) }));
    expect(root.querySelector('fieldset')!.disabled).toBe(false);
    expect(boxes('robin@gmail.com').options_emails_ads!.checked).toBe(true);
  });

  it('a refusal is said and the box shows the kind as it still is', async () => {
    const { root, boxes } = await mount({
      reply_by_email: false,
      accounts: [account('robin@gmail.com', kinds(['messages']))],
    });
    send.mockImplementation(async () => ({
      ok: false,
      error: { code: 'unreachable', message: 'The service could not be reached.' },
    }));
    act(() => void boxes('robin@gmail.com').options_emails_mentions!.click());
    await flush();
    expect(root.querySelector('[data-testid=emails-status]')!.getAttribute('role')).toBe('alert');
    expect(root.querySelector('[data-testid=emails-status]')!.textContent).toBe('options_emails_save_failed');
    expect(boxes('robin@gmail.com').options_emails_mentions!.checked).toBe(false);
    expect(root.querySelector('[data-testid=reply-by-email]')).toBeNull(); // no replies by email on this service
  });

  it('a service that emails no activity and takes no replies: no section', async () => {
    const { root } = await mount({ reply_by_email: false, accounts: [account('robin@gmail.com', null)] });
    expect(root.innerHTML).toBe('');
  });

  it('no linked account yet: how to get one; an unreachable service: the last known choice, said so', async () => {
    expect((await mount({ reply_by_email: true, accounts: [] })).root.textContent).toContain(
      'options_emails_no_accounts',
    );
    document.body.replaceChildren();
    expect(
      (await mount({ reply_by_email: true, accounts: [account('robin@gmail.com', kinds(['messages']), true)] })).root
        .textContent,
    ).toContain('options_emails_stale');
  });

  it('an account whose service emails nothing for it says so instead of boxes', async () => {
    const { root } = await mount({ reply_by_email: true, accounts: [account('robin@gmail.com', null)] });
    expect(root.querySelectorAll('input')).toHaveLength(0);
    expect(root.textContent).toContain('options_emails_not_offered');
  });
});
