/**
 * The inline UI's speed and polish: theme and density read once per document (never a style/layout read per mounted
 * UI), big lists mounted in slices, the look followed when Gmail switches theme, and the reply window's time left
 * ticking down while a composer is open.
 */
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));
vi.mock('@/utils/i18n', () => import('./support/i18n-en'));

/** The browser's ResizeObserver as far as the look needs it: after layout (here: a task later), each new observation
 * reports the element's laid-out height (here: its inline style height, else Gmail's default 40 px). */
class FakeResizeObserver {
  constructor(private readonly callback: (records: unknown[]) => void) {}
  observe(el: HTMLElement) {
    setTimeout(() => {
      const height = parseFloat(el.style.height) || 40;
      this.callback([{ target: el, contentRect: { height }, borderBoxSize: [{ blockSize: height }] }]);
    }, 0);
  }
  unobserve() {}
  disconnect() {}
}
vi.stubGlobal('ResizeObserver', FakeResizeObserver);

const { mountShadow, mountShadowSoon } = await import('@/entrypoints/gmail.content/ui/mount');
const { ReplyComposer } = await import('@/entrypoints/inline-frame/reply-composer');
const { msToNextMinute } = await import('@/entrypoints/inline-frame/use-now');
const { render } = await import('preact');

/** The browser's next rendering step (where the look is read). */
const frame = () => new Promise((r) => setTimeout(r, 5));
const rootOf = (host: HTMLElement) => host.shadowRoot!.querySelector<HTMLElement>('.root')!;

function list(n: number): HTMLTableRowElement[] {
  const table = document.createElement('table');
  const tbody = table.createTBody();
  document.body.append(table);
  return Array.from({ length: n }, () => {
    const row = tbody.insertRow();
    row.insertCell();
    return row;
  });
}

afterEach(() => {
  vi.restoreAllMocks();
  vi.useRealTimers();
  document.body.replaceChildren();
  document.body.removeAttribute('style');
});

describe('theme and density', () => {
  it('are read once for a whole list, never per row, and never by a forced layout', async () => {
    document.body.style.backgroundColor = 'rgb(31, 31, 31)'; // Gmail dark
    const styleReads = vi.spyOn(window, 'getComputedStyle');
    const layoutReads = vi.spyOn(Element.prototype, 'getBoundingClientRect');
    const rows = list(200);
    const mounted = rows.map((row) =>
      mountShadow({
        place: (host) => row.cells[0]!.append(host),
        context: row,
        inline: true,
        ui: <button type="button">Copy code</button>,
      }),
    );
    expect(styleReads).not.toHaveBeenCalled(); // mounting itself reads nothing
    await frame();
    expect(styleReads.mock.calls.length).toBeGreaterThan(0);
    expect(styleReads.mock.calls.length).toBeLessThan(10); // one walk up from one row, not 200
    expect(layoutReads).not.toHaveBeenCalled();
    expect(mounted.map((m) => rootOf(m.host).dataset.theme)).toEqual(rows.map(() => 'dark'));
    for (const m of mounted) m.unmount();
  });

  it('follow Gmail switching theme while a UI (an open composer) stays open', async () => {
    const [row] = list(1);
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    const open = mountShadow({
      place: (host) => row!.cells[0]!.append(host),
      context: row!,
      ui: <textarea aria-label="Reply" />,
    });
    await frame();
    expect(rootOf(open.host).dataset.theme).toBe('light');
    document.body.style.backgroundColor = 'rgb(17, 17, 17)';
    await vi.waitFor(() => expect(rootOf(open.host).dataset.theme).toBe('dark'));
    document.body.style.backgroundColor = 'rgb(255, 255, 255)';
    await vi.waitFor(() => expect(rootOf(open.host).dataset.theme).toBe('light'));
    open.unmount();
  });
  it('density comes from the height the browser laid a row out at: compact rows make compact UI', async () => {
    const rows = list(2);
    for (const row of rows) row.style.height = '28px';
    const mounted = rows.map((row) =>
      mountShadow({ place: (host) => row.cells[0]!.append(host), context: row, inline: true, ui: <span>chip</span> }),
    );
    await vi.waitFor(() => expect(mounted.map((m) => rootOf(m.host).dataset.density)).toEqual(['compact', 'compact']));
    for (const m of mounted) m.unmount();
  });
});

describe('batched mounts', () => {
  it('mount a big list later in short slices; an unmount before the mount means it never appears, after it removes it at once', async () => {
    const rows = list(300);
    const unmounts = rows.map((row) =>
      mountShadowSoon({
        place: (host) => row.cells[0]!.append(host),
        context: row,
        inline: true,
        decorate: (host) => (host.dataset.n = String(row.rowIndex)),
        ui: <span>chip</span>,
      }),
    );
    expect(document.querySelectorAll('ttg-chip')).toHaveLength(0); // nothing in the task that found the rows
    unmounts[0]!();
    await vi.waitFor(() => expect(document.querySelectorAll('ttg-chip')).toHaveLength(299), { timeout: 10_000 }); // slices yield to other tasks: slow on a busy 2-core machine
    expect(rows[0]!.querySelector('ttg-chip')).toBeNull();
    expect(rows[1]!.querySelector('ttg-chip')!.getAttribute('data-n')).toBe('1');
    expect(rows[1]!.querySelector('ttg-chip')!.shadowRoot!.textContent).toContain('chip');
    unmounts[1]!();
    expect(rows[1]!.querySelector('ttg-chip')).toBeNull();
  });

  it('skip rows Gmail removed before their turn', async () => {
    const rows = list(3);
    rows.map((row) =>
      mountShadowSoon({
        place: (host) => row.cells[0]!.append(host),
        context: row,
        inline: true,
        ui: <span>chip</span>,
      }),
    );
    rows[1]!.remove();
    await vi.waitFor(() => expect(document.querySelectorAll('ttg-chip')).toHaveLength(2));
    expect(rows[1]!.querySelector('ttg-chip')).toBeNull();
  });
});

describe('reply window', () => {
  it('counts down while the composer is open, and closes when the time is up', async () => {
    vi.useFakeTimers({ now: Date.parse('2026-11-23T08:00:00Z'), toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const expires = new Date(Date.parse('2026-11-23T08:02:30Z')).toISOString(); // 2 min 30 s left
    send.mockImplementation(async (name: string) => {
      if (name === 'conversationContext') {
        return {
          ok: true,
          data: {
            conversation: {
              conversation_id: 'c1',
              participant: { username: 'maya', display_name: 'Maya', avatar_url: '' },
              last_message_at: '2026-11-22T08:02:30.000Z',
              unread_count: 1,
              reply_window: { state: 'open', expires_at: expires, messages_remaining: 10 },
            },
            messages: [],
          },
        };
      }
      if (name === 'outboxList') return { ok: true, data: [] };
      if (name === 'draftGet') return { ok: true, data: { text: '' } };
      return { ok: true, data: {} };
    });
    const root = document.createElement('div');
    document.body.append(root);
    await act(async () => render(<ReplyComposer gmail="me@gmail.com" username="maya" autoFocus={false} />, root));
    await act(async () => {
      for (let i = 0; i < 10; i++) await Promise.resolve(); // the background's answers
    });
    const shown = () =>
      root.querySelector('[data-testid=reply-window]')?.textContent ??
      root.querySelector('[data-testid=reply-blocked]')?.textContent;
    expect(shown()).toBe('2 min left to reply · 10 of 10 messages left');
    await act(async () => void vi.advanceTimersByTime(31_000));
    expect(shown()).toBe('1 min left to reply · 10 of 10 messages left');
    for (let i = 0; i < 2; i++) await act(async () => void vi.advanceTimersByTime(60_000));
    expect(shown()).toContain('The reply window has closed');
    expect(root.querySelector('textarea')).toBeNull();
    render(null, root);
  });

  it('wakes up just after the shown minute changes', () => {
    expect(msToNextMinute(150_000, 0)).toBe(30_001);
    expect(msToNextMinute(3 * 3600_000 + 59_500, 0)).toBe(59_501);
    expect(msToNextMinute(10, 0)).toBe(1000);
  });
});
