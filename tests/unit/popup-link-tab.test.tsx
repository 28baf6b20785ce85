/**
 * The Link tab with the worker replaced by a scripted `send`: which codes it offers (only ones the Gmail tab first
 * showed after the code was requested, and the sandbox's), that it never uses one without the user's click (the Gmail
 * page may forge code rows), and each failure's way forward.
 */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { LinkFlow } from '@/utils/messaging/catalogue';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));
vi.mock('@/utils/i18n', () => import('./support/i18n-en'));

const { LinkTab } = await import('@/entrypoints/popup/link/LinkTab');

const GMAIL = 'alex@gmail.com';
const SENT_AT = '2026-01-01T10:00:00.000Z';
const codeFlow: LinkFlow = {
  gmail: GMAIL,
  step: 'code',
  verification: {
    verification_id: 'ver_1',
    email: GMAIL,
    status: 'code_sent',
    expires_at: '2999-01-01T00:00:00.000Z',
    resend_after: '2000-01-01T00:00:00.000Z',
    attempts_left: 5,
  },
  link: null,
  error: null,
  code_sent_at: SENT_AT,
};

/** The worker: `linkFlow` answers `flow`; everything else answers from `replies` (or fails the test). */
function worker(flow: LinkFlow, replies: Record<string, (data: never) => unknown> = {}) {
  send.mockImplementation(async (name: string, data: never) => {
    if (name === 'linkFlow') return { ok: true, data: flow };
    if (name === 'sandboxMailbox') return { ok: true, data: [{ subject: '777777 is your verification code' }] };
    const reply = replies[name];
    if (!reply) throw new Error(`unexpected message ${name}`);
    return reply(data);
  });
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await act(() => new Promise((r) => setTimeout(r, 20)));
};

async function mount(sandbox: boolean) {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<LinkTab gmail={GMAIL} setGmail={() => undefined} sandbox={sandbox} />, root));
  await settle();
  return root;
}

/** Pastes `code` into the first digit box, as a user pasting the six digits does, and lets the popup answer. */
async function pasteCode(root: HTMLElement, code: string) {
  const first = root.querySelector<HTMLInputElement>('input[aria-label="Digit 1 of 6"]')!;
  await act(() => {
    first.value = code;
    first.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await settle();
}

const sentMessages = () => send.mock.calls.map(([name]) => name as string);
const button = (root: HTMLElement, name: string) =>
  [...root.querySelectorAll('button')].find((b) => b.textContent === name);

beforeEach(() => {
  fakeBrowser.reset();
  send.mockReset();
});
afterEach(() => document.body.replaceChildren());

describe('LinkTab: codes offered, never used by themselves', () => {
  const seen = (code: string, at: string) => ({ code, seen_at: `2026-01-01T${at}.000Z` });

  it('offers a code the Gmail tab showed after the request, and uses it only on a click', async () => {
    worker(codeFlow, {
      linkVerify: ({ code }: { code: string }) => ({ ok: true, data: { ...codeFlow, step: 'signin', code } }),
    });
    await fakeBrowser.storage.session.set({ [`codes:${GMAIL}`]: [seen('123456', '10:00:05')] });
    const root = await mount(false);
    expect(root.querySelector('[data-testid="gmail-codes"]')?.textContent).toContain(
      'Your Gmail tab shows this code from TikTok',
    );
    expect(sentMessages()).not.toContain('linkVerify');
    await act(() => button(root, 'Use 123456')!.click());
    await settle();
    expect(sentMessages().filter((n) => n === 'linkVerify')).toHaveLength(1);
    expect(send).toHaveBeenCalledWith('linkVerify', { gmail: GMAIL, code: '123456' });
    expect(root.textContent).toContain('The code from your Gmail tab was accepted');
  });

  it('several candidates (forged rows, a login code): all shown, none submitted; a wrong one clicked is not offered again', async () => {
    worker(codeFlow, {
      linkVerify: () => ({ ok: false, error: { code: 'invalid_code', message: 'x', details: { attempts_left: 4 } } }),
    });
    const codes = [
      seen('111111', '10:00:01'),
      seen('222222', '10:00:02'),
      seen('333333', '10:00:03'),
      seen('444444', '10:00:04'),
      seen('999999', '09:59:00'),
    ];
    await fakeBrowser.storage.session.set({ [`codes:${GMAIL}`]: codes });
    const root = await mount(false);
    const offered = [...root.querySelectorAll('[data-testid="gmail-codes"] button')].map((b) => b.textContent);
    expect(offered).toEqual(['Use 444444', 'Use 333333', 'Use 222222']); // newest three; the one seen before the request is not offered
    expect(root.textContent).toContain('shows 3 codes that arrived after you asked; only one is yours');
    expect(sentMessages()).not.toContain('linkVerify');
    // More forged rows keep arriving: still nothing is submitted.
    await act(() =>
      fakeBrowser.storage.session.set({
        [`codes:${GMAIL}`]: [...codes, seen('555555', '10:00:05'), seen('666666', '10:00:06')],
      }),
    );
    await settle();
    expect(sentMessages()).not.toContain('linkVerify');
    await act(() => button(root, 'Use 666666')!.click());
    await settle();
    expect(sentMessages().filter((n) => n === 'linkVerify')).toHaveLength(1);
    expect(button(root, 'Use 666666')!.disabled).toBe(true);
  });

  it('ignores a code Gmail showed before the code was requested', async () => {
    worker(codeFlow);
    await fakeBrowser.storage.session.set({
      [`codes:${GMAIL}`]: [{ code: '123456', seen_at: '2026-01-01T09:59:00.000Z' }],
    });
    await mount(false);
    expect(sentMessages()).not.toContain('linkVerify');
  });

  it("shows the sandbox mailbox's code with a Sandbox note but waits for a click", async () => {
    worker(codeFlow, { linkVerify: () => ({ ok: true, data: { ...codeFlow, step: 'signin' } }) });
    const root = await mount(true);
    expect(root.textContent).toContain('Sandbox mailbox: code 777777.');
    expect(sentMessages()).not.toContain('linkVerify');
    await act(() => button(root, 'Use this code')!.click());
    await settle();
    expect(send).toHaveBeenCalledWith('linkVerify', { gmail: GMAIL, code: '777777' });
  });
});

describe('LinkTab: failures and their way forward', () => {
  it('a wrong code: attempts left, then the flow the worker kept is shown', async () => {
    worker(codeFlow, {
      linkVerify: () => ({ ok: false, error: { code: 'invalid_code', message: 'x', details: { attempts_left: 2 } } }),
    });
    const root = await mount(false);
    await pasteCode(root, '000000');
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('That code is not right. 2 attempts left.');
    expect(sentMessages().filter((n) => n === 'linkFlow').length).toBeGreaterThanOrEqual(2);
  });

  it('unreachable: Retry sends the same request again', async () => {
    let calls = 0;
    const flow: LinkFlow = { ...codeFlow, step: 'email', verification: null };
    worker(flow, {
      linkStart: () =>
        ++calls === 1 ? { ok: false, error: { code: 'unreachable', message: 'down' } } : { ok: true, data: codeFlow },
    });
    const root = await mount(false);
    await act(() => button(root, 'Send code')!.click());
    await settle();
    expect(root.querySelector('[role="alert"]')?.textContent).toContain("The service can't be reached");
    await act(() => button(root, 'Retry')!.click());
    await settle();
    expect(send.mock.calls.filter(([n]) => n === 'linkStart')).toEqual([
      ['linkStart', { gmail: GMAIL }],
      ['linkStart', { gmail: GMAIL }],
    ]);
    expect(root.querySelector('h2')?.textContent).toBe('2. Enter the code');
  });

  it("a failure stored while the popup was closed (sign-in denied) is shown when it opens, with the step's one Sign in button", async () => {
    worker({ ...codeFlow, step: 'signin', error: { code: 'denied', message: 'x' } });
    const root = await mount(false);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('You chose Deny on TikTok');
    expect(button(root, 'Sign in with TikTok')).toBeDefined();
    expect(button(root, 'Sign in again')).toBeUndefined();
  });
});

describe('LinkTab: after too many wrong codes', () => {
  const lockedFlow = (retryAt: number): LinkFlow => ({
    ...codeFlow,
    verification: { ...codeFlow.verification!, status: 'locked', attempts_left: 0 },
    error: {
      code: 'too_many_attempts',
      message: 'x',
      retry_after_s: 900,
      details: { retry_at: new Date(retryAt).toISOString() },
    },
  });

  it('reopened later, says the time really left (not the 15 min of when it happened)', async () => {
    worker(lockedFlow(Date.now() + 4 * 60_000 + 10_000));
    const root = await mount(false);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('You can try again in 5 min.');
    expect(root.querySelector<HTMLFieldSetElement>('fieldset.code-input')!.disabled).toBe(true);
  });

  it('once the lock is over, says so and a new code is one click away', async () => {
    const fresh = { ...codeFlow, code_sent_at: new Date().toISOString() };
    worker(lockedFlow(Date.now() - 1000), { linkStart: () => ({ ok: true, data: fresh }) });
    const root = await mount(false);
    expect(root.querySelector('[role="alert"]')?.textContent).toContain('The lock after too many wrong codes is over');
    await act(() => button(root, 'Send a new code')!.click());
    await settle();
    expect(send).toHaveBeenCalledWith('linkStart', { gmail: GMAIL });
    expect(root.querySelector('[role="status"]')?.textContent).toContain(`Code sent to ${GMAIL}`);
    expect(root.querySelector<HTMLFieldSetElement>('fieldset.code-input')!.disabled).toBe(false);
  });

  it('counts down while open: the lock ends and the way forward appears without reopening', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    try {
      worker(codeFlow, {
        linkVerify: () => ({ ok: false, error: { code: 'too_many_attempts', message: 'x', retry_after_s: 90 } }),
      });
      const root = await mount(false);
      await pasteCode(root, '000000');
      expect(root.querySelector('[role="alert"]')?.textContent).toContain('You can try again in 2 min.');
      await act(async () => void (await vi.advanceTimersByTimeAsync(60_000)));
      expect(root.querySelector('[role="alert"]')?.textContent).toMatch(/You can try again in (29|30) s\./);
      await act(async () => void (await vi.advanceTimersByTimeAsync(31_000)));
      expect(root.querySelector('[role="alert"]')?.textContent).toContain(
        'The lock after too many wrong codes is over',
      );
      expect(button(root, 'Send a new code')).toBeDefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
