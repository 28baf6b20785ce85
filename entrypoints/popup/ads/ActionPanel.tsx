/** The step after choosing Change permissions or Unlink on one or several accounts: pick, or read the warning and confirm. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Authorization, Permission } from '@/utils/api/schemas';
import { t } from '@/utils/i18n';
import { PermissionPicker } from './PermissionPicker';

export type PendingAction = { kind: 'permissions'; authorization: Authorization } | { kind: 'unlink'; authorizations: Authorization[] };

interface Props {
  action: PendingAction;
  busy: boolean;
  onConfirmPermissions: (a: Authorization, permissions: Permission[]) => void;
  onConfirmUnlink: (as: Authorization[]) => void;
  onCancel: () => void;
}

export function ActionPanel({ action, busy, onConfirmPermissions, onConfirmUnlink, onCancel }: Props) {
  const [permissions, setPermissions] = useState<Permission[]>(action.kind === 'permissions' ? action.authorization.permissions.granted : []);
  const panel = useRef<HTMLElement>(null);
  // Keyboard users land in the panel they just opened (Escape cancels).
  useEffect(() => (panel.current?.querySelector<HTMLElement>('[data-autofocus]') ?? panel.current?.querySelector<HTMLElement>('input, button:not(:disabled)'))?.focus(), []);
  const onKeyDown = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
  if (action.kind === 'permissions') {
    const a = action.authorization;
    return (
      <section ref={panel} class="ads-panel" role="dialog" aria-labelledby="ads-panel-title" onKeyDown={onKeyDown}>
        <h3 id="ads-panel-title">{t('ads_change_permissions_for', a.tiktok.username)}</h3>
        <PermissionPicker legend={t('ads_permissions_legend')} value={permissions} onChange={setPermissions} idPrefix="ads-patch-perm" />
        <p class="ads-blocked">{t('ads_patch_note')}</p>
        {permissions.length === 0 && <p class="ads-problem">{t('ads_permissions_required')}</p>}
        <div class="ads-row-actions">
          <button type="button" disabled={busy || permissions.length === 0} onClick={() => onConfirmPermissions(a, permissions)}>
            {t('ads_save_permissions')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('ads_cancel')}
          </button>
        </div>
      </section>
    );
  }
  const names = action.authorizations.map((a) => `@${a.tiktok.username}`).join(', ');
  return (
    <section ref={panel} class="ads-panel ads-panel-warning" role="alertdialog" aria-labelledby="ads-panel-title" aria-describedby="ads-panel-warning" onKeyDown={onKeyDown}>
      <h3 id="ads-panel-title">{t('ads_unlink_title', [action.authorizations.length, names])}</h3>
      <p id="ads-panel-warning">{t('ads_unlink_warning')}</p>
      <div class="ads-row-actions">
        <button type="button" class="ads-danger" disabled={busy} onClick={() => onConfirmUnlink(action.authorizations)}>
          {t('ads_unlink_confirm')}
        </button>
        <button type="button" data-autofocus onClick={onCancel}>
          {t('ads_cancel')}
        </button>
      </div>
    </section>
  );
}
