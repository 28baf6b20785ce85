/**
 * The large view's list: a dense table (status, account, advertiser, permissions, dates, actions) sorted by any
 * column, that fills the window and renders only the rows in view, so thousands of rows stay fast.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Authorization } from '@/utils/api/schemas';
import { t, type MessageKey } from '@/utils/i18n';
import type { Sort, SortKey } from './sort';
import { useWindow } from './WindowedList';

export const TABLE_ROW_HEIGHT = 30;

interface Props {
  items: readonly Authorization[];
  sort: Sort;
  onSort: (sort: Sort) => void;
  /** A checkbox that selects every shown row, for the header. */
  selectAll: ComponentChildren;
  renderRow: (a: Authorization, position: { index: number; total: number; top: number }) => ComponentChildren;
}

const COLUMNS: { key: SortKey | null; label: MessageKey; class: string }[] = [
  { key: 'status', label: 'ads_col_status', class: 'ads-col-status' },
  { key: 'account', label: 'ads_col_account', class: 'ads-col-account' },
  { key: 'advertiser', label: 'ads_col_advertiser', class: 'ads-col-advertiser' },
  { key: null, label: 'ads_col_permissions', class: 'ads-col-permissions' },
  { key: 'requested', label: 'ads_col_requested', class: 'ads-col-requested' },
  { key: 'decided', label: 'ads_col_decided', class: 'ads-col-decided' },
  { key: null, label: 'ads_col_actions', class: 'ads-col-actions' },
];

/** The height of the table's box, followed as the window is resized. */
function useBoxHeight(fallback: number) {
  const box = useRef<HTMLDivElement>(null);
  const [height, setHeight] = useState(fallback);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => setHeight(el.clientHeight || fallback);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { box, height };
}

export function AuthorizationTable({ items, sort, onSort, selectAll, renderRow }: Props) {
  const { box, height } = useBoxHeight(640);
  const { first, last, onScroll } = useWindow(items.length, TABLE_ROW_HEIGHT, height - TABLE_ROW_HEIGHT);
  const toggle = (key: SortKey) =>
    onSort(
      sort.key === key
        ? { key, descending: !sort.descending }
        : { key, descending: key === 'requested' || key === 'decided' },
    );
  const ariaSort = (key: SortKey | null) =>
    key && sort.key === key ? (sort.descending ? 'descending' : 'ascending') : undefined;
  return (
    <div ref={box} class="ads-table-window" onScroll={onScroll} tabIndex={0}>
      <table class="ads-table" aria-rowcount={items.length + 1}>
        <colgroup>
          <col class="ads-col-select" />
          {COLUMNS.map((c) => (
            <col key={c.label} class={c.class} />
          ))}
        </colgroup>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">{selectAll}</th>
            {COLUMNS.map((c) => (
              <th key={c.label} scope="col" aria-sort={ariaSort(c.key)}>
                {c.key ? (
                  <button type="button" onClick={() => toggle(c.key!)}>
                    {t(c.label)}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.descending ? ' ↓' : ' ↑') : ''}</span>
                  </button>
                ) : (
                  t(c.label)
                )}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 && (
            <tr class="ads-spacer" aria-hidden="true">
              <td colSpan={COLUMNS.length + 1} style={{ height: `${first * TABLE_ROW_HEIGHT}px` }} />
            </tr>
          )}
          {items
            .slice(first, last)
            .map((a, i) =>
              renderRow(a, { index: first + i, total: items.length, top: (first + i) * TABLE_ROW_HEIGHT }),
            )}
          {last < items.length && (
            <tr class="ads-spacer" aria-hidden="true">
              <td colSpan={COLUMNS.length + 1} style={{ height: `${(items.length - last) * TABLE_ROW_HEIGHT}px` }} />
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
