/**
 * Every requested account across advertisers: filter by status, search by username, select several for a bulk
 * resend or unlink, and act on one. Only the rows in view are rendered: a list of cards in the popup, a sortable
 * table on the large view. What a bulk action did is said in green, what failed in red, each beside the other.
 */
import type { ComponentChildren, ComponentProps } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import type { Advertiser, Authorization, Permission } from '@/utils/api/schemas';
import { AuthorizationStatus } from '@/utils/api/schemas';
import { t, tn } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { ActionPanel, type PendingAction } from './ActionPanel';
import { AuthorizationRow, AuthorizationTableRow } from './AuthorizationRow';
import { AuthorizationTable } from './AuthorizationTable';
import { countByStatus, filterAuthorizations, type StatusFilter } from './filter';
import { statusLabel } from './labels';
import { errorText } from './problems';
import { adminRequiredReason } from './roles';
import { sortAuthorizations, type Sort } from './sort';
import { WindowedList } from './WindowedList';

export const ROW_HEIGHT = 132;

interface Props {
  gmail: string;
  items: Authorization[];
  advertisers: Advertiser[];
  upsert: (a: Authorization) => void;
  layout: 'popup' | 'page';
  height: number;
}

interface Outcome {
  done: string;
  failures: string[];
}

/**
 * Resend, unlink and change permissions, one call per account in order; what was done and what failed is kept as the
 * outcome shown above the list.
 */
function useAccountActions(
  gmail: string,
  upsert: Props['upsert'],
  after: { clearSelection(): void; closePanel(): void },
) {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  /** Runs one call per account, in order; returns how many succeeded and the failures as text. */
  const runEach = async (as: Authorization[], call: (a: Authorization) => ReturnType<typeof send<'adsResend'>>) => {
    setBusy(true);
    const failures: string[] = [];
    let done = 0;
    try {
      for (const a of as) {
        const r = await call(a);
        if (r.ok) {
          upsert(r.data);
          done++;
        } else failures.push(`@${a.tiktok.username}: ${errorText(r.error)}`);
      }
    } finally {
      setBusy(false);
    }
    return { done, failures };
  };

  const report = (key: 'ads_resent' | 'ads_unlinked' | 'ads_permissions_saved', done: number, failures: string[]) =>
    setOutcome({ done: done > 0 || failures.length === 0 ? tn(key, done) : '', failures });

  const resend = async (as: Authorization[]) => {
    const { done, failures } = await runEach(as, (a) =>
      send('adsResend', { gmail, authorization_id: a.authorization_id }),
    );
    after.clearSelection();
    report('ads_resent', done, failures);
  };
  const unlink = async (as: Authorization[]) => {
    const { done, failures } = await runEach(as, (a) =>
      send('adsDelete', { gmail, authorization_id: a.authorization_id }),
    );
    after.closePanel();
    after.clearSelection();
    report('ads_unlinked', done, failures);
  };
  const changePermissions = async (a: Authorization, permissions: Permission[]) => {
    const { done, failures } = await runEach([a], (x) =>
      send('adsPatch', { gmail, authorization_id: x.authorization_id, permissions }),
    );
    after.closePanel();
    report('ads_permissions_saved', done, failures);
  };
  return { busy, outcome, resend, unlink, changePermissions };
}

/** The accounts shown: filtered by status and search, sorted on the large view. */
function useShown(items: Authorization[], layout: Props['layout']) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'requested', descending: true });
  const filtered = useMemo(() => filterAuthorizations(items, { status, search }), [items, status, search]);
  const shown = useMemo(
    () => (layout === 'page' ? sortAuthorizations(filtered, sort) : filtered),
    [filtered, sort, layout],
  );
  const counts = useMemo(() => countByStatus(items), [items]);
  return { status, setStatus, search, setSearch, sort, setSort, shown, counts };
}

/** The accounts ticked for a bulk action, and the "select every account shown" box. */
function useSelection(shown: Authorization[]) {
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const selectedItems = shown.filter((a) => selected.has(a.authorization_id));
  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const allShownSelected = shown.length > 0 && selectedItems.length === shown.length;
  const selectAll = (label?: string) => (
    <input
      type="checkbox"
      checked={allShownSelected}
      disabled={shown.length === 0}
      aria-label={label}
      onChange={(e) =>
        setSelected(
          (e.currentTarget as HTMLInputElement).checked ? new Set(shown.map((a) => a.authorization_id)) : new Set(),
        )
      }
    />
  );
  return { selected, selectedItems, toggle, selectAll, clear: () => setSelected(new Set()) };
}

export function AuthorizationList({ gmail, items, advertisers, upsert, layout, height }: Props) {
  const { status, setStatus, search, setSearch, sort, setSort, shown, counts } = useShown(items, layout);
  const { selected, selectedItems, toggle, selectAll, clear } = useSelection(shown);
  const [pending, setPending] = useState<PendingAction | null>(null);
  const { busy, outcome, resend, unlink, changePermissions } = useAccountActions(gmail, upsert, {
    clearSelection: clear,
    closePanel: () => setPending(null),
  });
  const advertiserOf = useMemo(() => {
    const byId = new Map(advertisers.map((a) => [a.advertiser_id, a]));
    return (a: Authorization) => byId.get(a.advertiser.advertiser_id);
  }, [advertisers]);
  const canAct = (a: Authorization) => adminRequiredReason(advertiserOf(a)) === null;
  const resendable = selectedItems.filter((a) => (a.status === 'rejected' || a.status === 'expired') && canAct(a));
  const unlinkable = selectedItems.filter((a) => a.status === 'authorized' && canAct(a));

  const rowActions = {
    onResend: (a: Authorization) => void resend([a]),
    onChangePermissions: (a: Authorization, from: HTMLElement) =>
      setPending({ kind: 'permissions', authorization: a, from }),
    onUnlink: (a: Authorization, from: HTMLElement) => setPending({ kind: 'unlink', authorizations: [a], from }),
  };
  const rowProps = (a: Authorization) => ({
    key: a.authorization_id,
    authorization: a,
    advertiser: advertiserOf(a),
    selected: selected.has(a.authorization_id),
    onSelect: toggle,
    busy,
    gmail,
    actions: rowActions,
  });

  return (
    <section class="ads-list ads-list-card" aria-labelledby="ads-list-title">
      <div class="ads-list-head">
        <h2 id="ads-list-title">{t('ads_list_title')}</h2>
        <Toolbar status={status} onStatus={setStatus} search={search} onSearch={setSearch} counts={counts} />
        <BulkBar
          selectAll={layout === 'popup' && selectAll()}
          busy={busy}
          resendable={resendable}
          unlinkable={unlinkable}
          onResend={() => void resend(resendable)}
          onUnlink={(from) => setPending({ kind: 'unlink', authorizations: unlinkable, from })}
        />
        <OutcomeLine outcome={outcome} />
        <p class="ads-count" data-testid="ads-count">
          {t('ads_showing', [shown.length, items.length])}
        </p>
      </div>
      {pending && (
        <ActionPanel
          key={pendingKey(pending)}
          action={pending}
          busy={busy}
          onConfirmPermissions={(a, p) => void changePermissions(a, p)}
          onConfirmUnlink={(as) => void unlink(as)}
          onCancel={() => setPending(null)}
        />
      )}
      <AccountRows
        total={items.length}
        shown={shown}
        layout={layout}
        height={height}
        sort={sort}
        onSort={setSort}
        selectAll={selectAll(t('ads_select_all_shown'))}
        rowProps={rowProps}
      />
    </section>
  );
}

/** Which accounts an open panel acts on: a new set of accounts gets a fresh panel. */
function pendingKey(pending: PendingAction) {
  return pending.kind === 'permissions'
    ? pending.authorization.authorization_id
    : pending.authorizations.map((a) => a.authorization_id).join();
}

/** The accounts shown: a sortable table on the large view, windowed cards in the popup, or why there are none. */
function AccountRows(props: {
  total: number;
  shown: Authorization[];
  layout: Props['layout'];
  height: number;
  sort: Sort;
  onSort: (sort: Sort) => void;
  selectAll: ComponentChildren;
  rowProps: (a: Authorization) => Omit<ComponentProps<typeof AuthorizationRow>, 'position'>;
}) {
  const { shown, rowProps } = props;
  if (shown.length === 0) {
    return <p class="ads-empty">{props.total === 0 ? t('ads_list_empty') : t('ads_no_match')}</p>;
  }
  return props.layout === 'page' ? (
    <AuthorizationTable
      items={shown}
      sort={props.sort}
      onSort={props.onSort}
      selectAll={props.selectAll}
      renderRow={(a, position) => <AuthorizationTableRow {...rowProps(a)} position={position} />}
    />
  ) : (
    <WindowedList
      items={shown}
      rowHeight={ROW_HEIGHT}
      height={props.height}
      label={t('ads_list_title')}
      renderRow={(a, position) => <AuthorizationRow {...rowProps(a)} position={position} />}
    />
  );
}

/** Filter by status (with the count of each) and search by username. */
function Toolbar(props: {
  status: StatusFilter;
  onStatus: (s: StatusFilter) => void;
  search: string;
  onSearch: (s: string) => void;
  counts: Record<StatusFilter, number>;
}) {
  const { counts } = props;
  return (
    <div class="ads-toolbar">
      <label>
        {t('ads_filter_status')}
        <select
          value={props.status}
          onChange={(e) => props.onStatus((e.currentTarget as HTMLSelectElement).value as StatusFilter)}
        >
          <option value="all">{t('ads_filter_all', counts.all)}</option>
          {AuthorizationStatus.options.map((s) => (
            <option key={s} value={s}>
              {`${statusLabel(s)} (${counts[s]})`}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('ads_search_label')}
        <input
          type="search"
          value={props.search}
          placeholder={t('ads_search_placeholder')}
          onInput={(e) => props.onSearch((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
    </div>
  );
}

/** What the last action did, in green, and what failed, in red. */
function OutcomeLine({ outcome }: { outcome: Outcome | null }) {
  return (
    <div class="ads-result" role="status" data-testid="ads-result">
      {outcome?.done && <p class="ads-done">{outcome.done}</p>}
      {outcome && outcome.failures.length > 0 && <p class="ads-problem">{outcome.failures.join('\n')}</p>}
    </div>
  );
}

/** Select every account shown (popup), then resend or unlink the selected ones that allow it. */
function BulkBar(props: {
  selectAll: ComponentChildren;
  busy: boolean;
  resendable: Authorization[];
  unlinkable: Authorization[];
  onResend: () => void;
  onUnlink: (from: HTMLElement) => void;
}) {
  const { busy, resendable, unlinkable } = props;
  return (
    <div class="ads-bulk">
      {props.selectAll && (
        <label class="ads-inline">
          {props.selectAll}
          {t('ads_select_all_shown')}
        </label>
      )}
      <button type="button" disabled={busy || resendable.length === 0} onClick={props.onResend}>
        {t('ads_resend_selected', resendable.length)}
      </button>
      <button
        type="button"
        class="btn-danger"
        disabled={busy || unlinkable.length === 0}
        onClick={(e) => props.onUnlink(e.currentTarget as HTMLElement)}
      >
        {t('ads_unlink_selected', unlinkable.length)}
      </button>
    </div>
  );
}
