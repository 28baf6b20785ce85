import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it } from 'vitest';
import { WindowedList } from '@/components/ads/WindowedList';

const ROW = 100;
const rows = Array.from({ length: 300 }, (_, i) => `row-${i}`);

function mount() {
  const root = document.createElement('div');
  document.body.append(root);
  act(() =>
    render(
      <WindowedList
        items={rows}
        rowHeight={ROW}
        height={400}
        label="Accounts"
        renderRow={(r, p) => (
          <li key={r} aria-posinset={p.index + 1} aria-setsize={p.total} style={{ top: `${p.top}px` }}>
            {r}
          </li>
        )}
      />,
      root,
    ),
  );
  return root;
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('WindowedList', () => {
  it('renders only the rows in view, with the full scroll height and truthful positions', () => {
    const root = mount();
    const items = root.querySelectorAll('li');
    expect(items.length).toBeLessThanOrEqual(4 + 4 + 1);
    expect(items[0]!.textContent).toBe('row-0');
    expect(items[0]!.getAttribute('aria-setsize')).toBe('300');
    expect((root.querySelector('ul') as HTMLElement).style.height).toBe(`${300 * ROW}px`);
  });

  it('renders the rows scrolled to', () => {
    const root = mount();
    const viewport = root.querySelector('.ads-window') as HTMLElement;
    act(() => {
      viewport.scrollTop = 150 * ROW;
      viewport.dispatchEvent(new Event('scroll'));
    });
    const texts = Array.from(root.querySelectorAll('li'), (li) => li.textContent);
    expect(texts).toContain('row-150');
    expect(texts).not.toContain('row-0');
    expect(texts.length).toBeLessThan(15);
  });
});
