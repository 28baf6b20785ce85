/**
 * A list that renders only the rows in view (plus a few either side), so hundreds of rows cost the same as a dozen.
 * Rows have a fixed height; the list keeps its full scroll height so the scrollbar and aria-setsize stay truthful.
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  height: number;
  label: string;
  renderRow: (item: T, position: { index: number; total: number; top: number }) => ComponentChildren;
  overscan?: number;
}

export function WindowedList<T>({ items, rowHeight, height, label, renderRow, overscan = 4 }: Props<T>) {
  const [scrollTop, setScrollTop] = useState(0);
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + overscan);
  return (
    <div class="ads-window" style={{ maxHeight: `${height}px` }} onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)}>
      <ul class="ads-window-inner" aria-label={label} style={{ height: `${items.length * rowHeight}px` }}>
        {items.slice(first, last).map((item, i) => renderRow(item, { index: first + i, total: items.length, top: (first + i) * rowHeight }))}
      </ul>
    </div>
  );
}
