/** Composer drafts: text the worker did not take is saved again, and a composer opened again at once shows the tab's
 * latest text, not the older text the worker still holds. */
import { h, render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { send } from './support/messaging';

vi.mock('@/utils/messaging', () => import('./support/messaging'));
const { useDraft } = await import('@/entrypoints/inline-frame/use-draft');

afterEach(() => {
  vi.useRealTimers();
  send.mockReset();
  document.body.replaceChildren();
});

function mountDraft(key: string) {
  const root = document.createElement('div');
  document.body.append(root);
  const api: { current: ReturnType<typeof useDraft> | null } = { current: null };
  function Probe() {
    api.current = useDraft(key);
    return null;
  }
  act(() => render(h(Probe, null), root));
  return { api, unmount: () => act(() => render(null, root)) };
}

const settle = () =>
  act(async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  });

describe('drafts', () => {
  it('a save the stopped worker did not take is tried again until it is taken', async () => {
    vi.useFakeTimers();
    const saved: string[] = [];
    let refuse = 2;
    send.mockImplementation(async (name: string, data: { text?: string }) => {
      if (name === 'draftGet') return { ok: true, data: { text: '' } };
      if (refuse-- > 0) return { ok: false, error: { code: 'unreachable', message: 'worker stopped' } };
      saved.push(data.text!);
      return { ok: true, data: { ok: true } };
    });
    const { api, unmount } = mountDraft('message:me@gmail.com:maya');
    await settle();
    act(() => api.current!.setText('Friday works'));
    await act(async () => void vi.advanceTimersByTime(300)); // the pause after typing: first save, refused
    for (let i = 0; i < 2; i++) await act(async () => void (await vi.advanceTimersByTimeAsync(1000)));
    expect(saved).toEqual(['Friday works']);
    unmount();
  });

  it('a composer closed and opened again at once shows the text just left (empty after a send), not the older saved one', async () => {
    let answerSave: (v: unknown) => void = () => {};
    send.mockImplementation((name: string) => {
      if (name === 'draftGet') return Promise.resolve({ ok: true, data: { text: 'the reply just sent' } }); // not updated yet
      return new Promise((r) => (answerSave = r));
    });
    const first = mountDraft('message:me@gmail.com:sam');
    await settle();
    act(() => first.api.current!.setText(''));
    first.unmount(); // closing saves at once; the worker has not confirmed yet
    const again = mountDraft('message:me@gmail.com:sam');
    await settle();
    expect(again.api.current!.loaded).toBe(true);
    expect(again.api.current!.text).toBe('');
    answerSave({ ok: true, data: { ok: true } });
    again.unmount();
  });
});
