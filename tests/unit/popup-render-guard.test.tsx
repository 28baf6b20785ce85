/** The popup's render guard: a component that throws while rendering leaves a message with Reload, not a blank popup. */
import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, expect, it, vi } from 'vitest';

vi.mock('@/utils/i18n', () => import('./support/i18n-en'));

const { RenderGuard } = await import('@/entrypoints/popup/link/RenderGuard');

afterEach(() => document.body.replaceChildren());

function Broken(): never {
  throw new Error('<b>boom</b>');
}

it('shows what went wrong, as text, with a Reload button', async () => {
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const reload = vi.fn();
  const root = document.createElement('div');
  document.body.append(root);
  await act(() =>
    render(
      <RenderGuard reload={reload}>
        <Broken />
      </RenderGuard>,
      root,
    ),
  );
  expect(root.querySelector('h1')?.textContent).toBe('TikTok Gmail Link');
  expect(root.querySelector('[role="alert"]')?.textContent).toContain(
    'Something went wrong while showing this page (<b>boom</b>).',
  );
  expect(root.querySelector('b')).toBeNull();
  await act(() => root.querySelector('button')!.click());
  expect(reload).toHaveBeenCalledTimes(1);
});

it('renders its children when nothing throws', async () => {
  const root = document.createElement('div');
  document.body.append(root);
  await act(() => render(<RenderGuard>{<p>fine</p>}</RenderGuard>, root));
  expect(root.textContent).toBe('fine');
});
