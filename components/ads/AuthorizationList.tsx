/**
 * Every requested account across advertisers: filter by status, search by username, select several for a bulk
 * resend or unlink, and act on one. Only the rows in view are rendered: a list of cards in the popup, a sortable
 * table on the large view. What a bulk action did is said in green, what failed in red, each beside the other.
 */
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

export function AuthorizationList({ gmail, items, advertisers, upsert, layout, height }: Props) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [sort, setSort] = useState<Sort>({ key: 'requested', descending: true });

  const filtered = useMemo(() => filterAuthorizations(items, { status, search }), [items, status, search]);
  const shown = useMemo(() => (layout === 'page' ? sortAuthorizations(filtered, sort) : filtered), [filtered, sort, layout]);
  const counts = useMemo(() => countByStatus(items), [items]);
  const advertiserOf = useMemo(() => {
    const byId = new Map(advertisers.map((a) => [a.advertiser_id, a]));
    return (a: Authorization) => byId.get(a.advertiser.advertiser_id);
  }, [advertisers]);
  const selectedItems = shown.filter((a) => selected.has(a.authorization_id));
  const canAct = (a: Authorization) => adminRequiredReason(advertiserOf(a)) === null;
  const resendable = selectedItems.filter((a) => (a.status === 'rejected' || a.status === 'expired') && canAct(a));
  const unlinkable = selectedItems.filter((a) => a.status === 'authorized' && canAct(a));

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
    const { done, failures } = await runEach(as, (a) => send('adsResend', { gmail, authorization_id: a.authorization_id }));
    setSelected(new Set());
    report('ads_resent', done, failures);
  };
  const unlink = async (as: Authorization[]) => {
    const { done, failures } = await runEach(as, (a) => send('adsDelete', { gmail, authorization_id: a.authorization_id }));
    setPending(null);
    setSelected(new Set());
    report('ads_unlinked', done, failures);
  };
  const changePermissions = async (a: Authorization, permissions: Permission[]) => {
    const { done, failures } = await runEach([a], (x) => send('adsPatch', { gmail, authorization_id: x.authorization_id, permissions }));
    setPending(null);
    report('ads_permissions_saved', done, failures);
  };

  const toggle = (id: string, on: boolean) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const rowActions = {
    onResend: (a: Authorization) => void resend([a]),
    onChangePermissions: (a: Authorization, from: HTMLElement) => setPending({ kind: 'permissions', authorization: a, from }),
    onUnlink: (a: Authorization, from: HTMLElement) => setPending({ kind: 'unlink', authorizations: [a], from }),
  };
  const allShownSelected = shown.length > 0 && selectedItems.length === shown.length;
  const selectAll = (label?: string) => (
    <input
      type="checkbox"
      checked={allShownSelected}
      disabled={shown.length === 0}
      aria-label={label}
      onChange={(e) => setSelected((e.currentTarget as HTMLInputElement).checked ? new Set(shown.map((a) => a.authorization_id)) : new Set())}
    />
  );
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
        <div class="ads-toolbar">
          <label>
            {t('ads_filter_status')}
            <select value={status} onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value as StatusFilter)}>
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
            <input type="search" value={search} placeholder={t('ads_search_placeholder')} onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
          </label>
        </div>
        <div class="ads-bulk">
          {layout === 'popup' && (
            <label class="ads-inline">
              {selectAll()}
              {t('ads_select_all_shown')}
            </label>
          )}
          <button type="button" disabled={busy || resendable.length === 0} onClick={() => void resend(resendable)}>
            {t('ads_resend_selected', resendable.length)}
          </button>
          <button
            type="button"
            class="btn-danger"
            disabled={busy || unlinkable.length === 0}
            onClick={(e) => setPending({ kind: 'unlink', authorizations: unlinkable, from: e.currentTarget as HTMLElement })}
          >
            {t('ads_unlink_selected', unlinkable.length)}
          </button>
        </div>
        <div class="ads-result" role="status" data-testid="ads-result">
          {outcome?.done && <p class="ads-done">{outcome.done}</p>}
          {outcome && outcome.failures.length > 0 && <p class="ads-problem">{outcome.failures.join('\n')}</p>}
        </div>
        <p class="ads-count" data-testid="ads-count">
          {t('ads_showing', [shown.length, items.length])}
        </p>
      </div>
      {pending && (
        <ActionPanel
          key={pending.kind === 'permissions' ? pending.authorization.authorization_id : pending.authorizations.map((a) => a.authorization_id).join()}
          action={pending}
          busy={busy}
          onConfirmPermissions={(a, p) => void changePermissions(a, p)}
          onConfirmUnlink={(as) => void unlink(as)}
          onCancel={() => setPending(null)}
        />
      )}
      {shown.length === 0 ? (
        <p class="ads-empty">{items.length === 0 ? t('ads_list_empty') : t('ads_no_match')}</p>
      ) : layout === 'page' ? (
        <AuthorizationTable
          items={shown}
          sort={sort}
          onSort={setSort}
          selectAll={selectAll(t('ads_select_all_shown'))}
          renderRow={(a, position) => <AuthorizationTableRow {...rowProps(a)} position={position} />}
        />
      ) : (
        <WindowedList
          items={shown}
          rowHeight={ROW_HEIGHT}
          height={height}
          label={t('ads_list_title')}
          renderRow={(a, position) => <AuthorizationRow {...rowProps(a)} position={position} />}
        />
      )}
    </section>
  );
}
