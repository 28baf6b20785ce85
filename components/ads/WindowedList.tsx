/**
 * Lists that render only the rows in view (plus a few either side), so thousands of rows cost the same as a dozen.
 * Rows have a fixed height; the list keeps its full scroll height so the scrollbar and the row counts stay truthful.
 * `useWindow` is the arithmetic, shared by the popup's list (`WindowedList`) and the large view's table.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

export function useWindow(count: number, rowHeight: number, height: number, overscan = 4) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  const onScroll = (e: Event) => setScrollTop((e.currentTarget as HTMLElement).scrollTop);
  return { first, last, onScroll };
}

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  renderRow: (item: T, position: { index: number; total: number; top: number }) => ComponentChildren;
  overscan?: number;
}

export function WindowedList<T>({ items, rowHeight, height, label, renderRow, overscan = 4 }: Props<T>) {
  const { first, last, onScroll } = useWindow(items.length, rowHeight, height, overscan);
  return (
    <div class="ads-window" style={{ maxHeight: `${height}px` }} onScroll={onScroll}>
      <ul class="ads-window-inner" aria-label={label} style={{ height: `${items.length * rowHeight}px` }}>
        {items
          .slice(first, last)
          .map((item, i) => renderRow(item, { index: first + i, total: items.length, top: (first + i) * rowHeight }))}
      </ul>
    </div>
  );
}
