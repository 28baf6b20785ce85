/**
 * Every requested account across advertisers: filter by status, search by username, select several for a bulk
 * resend or unlink, and act on one. Only the rows in view are rendered.
 */
import { useMemo, useState } from 'preact/hooks';
import type { Advertiser, Authorization, Permission } from '@/utils/api/schemas';
import { AuthorizationStatus } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { send } from '@/utils/messaging';
import { ActionPanel, type PendingAction } from './ActionPanel';
import { AuthorizationRow } from './AuthorizationRow';
import { countByStatus, filterAuthorizations, type StatusFilter } from './filter';
import { statusLabel } from './labels';
import { errorText } from './problems';
import { adminRequiredReason } from './roles';
import { WindowedList } from './WindowedList';

export const ROW_HEIGHT = 132;

interface Props {
  gmail: string;
  items: Authorization[];
  advertisers: Advertiser[];
  upsert: (a: Authorization) => void;
  announce: (text: string) => void;
  height: number;
}

export function AuthorizationList({ gmail, items, advertisers, upsert, announce, height }: Props) {
  const [status, setStatus] = useState<StatusFilter>('all');
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [pending, setPending] = useState<PendingAction | null>(null);
  const [busy, setBusy] = useState(false);

  const shown = useMemo(() => filterAuthorizations(items, { status, search }), [items, status, search]);
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
    announce([t(key, done), ...failures].join('\n'));

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
    onChangePermissions: (a: Authorization) => setPending({ kind: 'permissions', authorization: a }),
    onUnlink: (a: Authorization) => setPending({ kind: 'unlink', authorizations: [a] }),
  };
  const allShownSelected = shown.length > 0 && selectedItems.length === shown.length;

  return (
    <section class="ads-list" aria-labelledby="ads-list-title">
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
          <input type="search" value={search} placeholder="@username" onInput={(e) => setSearch((e.currentTarget as HTMLInputElement).value)} />
        </label>
      </div>
      <div class="ads-bulk">
        <label class="ads-inline">
          <input
            type="checkbox"
            checked={allShownSelected}
            disabled={shown.length === 0}
            onChange={(e) => setSelected((e.currentTarget as HTMLInputElement).checked ? new Set(shown.map((a) => a.authorization_id)) : new Set())}
          />
          {t('ads_select_all_shown')}
        </label>
        <button type="button" disabled={busy || resendable.length === 0} onClick={() => void resend(resendable)}>
          {t('ads_resend_selected', resendable.length)}
        </button>
        <button type="button" disabled={busy || unlinkable.length === 0} onClick={() => setPending({ kind: 'unlink', authorizations: unlinkable })}>
          {t('ads_unlink_selected', unlinkable.length)}
        </button>
      </div>
      {pending && (
        <ActionPanel
          key={pending.kind === 'permissions' ? pending.authorization.authorization_id : 'unlink'}
          action={pending}
          busy={busy}
          onConfirmPermissions={(a, p) => void changePermissions(a, p)}
          onConfirmUnlink={(as) => void unlink(as)}
          onCancel={() => setPending(null)}
        />
      )}
      <p class="ads-count" data-testid="ads-count">
        {t('ads_showing', [shown.length, items.length])}
      </p>
      {shown.length === 0 ? (
        <p class="ads-empty">{items.length === 0 ? t('ads_list_empty') : t('ads_no_match')}</p>
      ) : (
        <WindowedList
          items={shown}
          rowHeight={ROW_HEIGHT}
          height={height}
          label={t('ads_list_title')}
          renderRow={(a, position) => (
            <AuthorizationRow
              key={a.authorization_id}
              authorization={a}
              advertiser={advertiserOf(a)}
              selected={selected.has(a.authorization_id)}
              onSelect={toggle}
              busy={busy}
              gmail={gmail}
              position={position}
              actions={rowActions}
            />
          )}
        />
      )}
    </section>
  );
}
