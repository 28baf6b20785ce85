/**
 * The step after choosing Change permissions or Unlink on one or several accounts: pick, or read the warning and
 * confirm. A modal dialog placed right under the button that opened it (never far from the row clicked); Escape
 * or Cancel closes it and gives the focus back to that button.
 */
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { Authorization, Permission } from '@/utils/api/schemas';
import { t, tn } from '@/utils/i18n';
import { PermissionPicker } from './PermissionPicker';

export type PendingAction = (
  { kind: 'permissions'; authorization: Authorization } | { kind: 'unlink'; authorizations: Authorization[] }
) & {
  /** The button that opened the panel. */
  from?: HTMLElement | null;
};

interface Props {
  action: PendingAction;
  busy: boolean;
  onConfirmPermissions: (a: Authorization, permissions: Permission[]) => void;
  onConfirmUnlink: (as: Authorization[]) => void;
  onCancel: () => void;
}

const MARGIN = 8;

/** Shows `dialog` as a modal just under (or, without room, just over) `from`, inside the window. */
function placeNear(dialog: HTMLDialogElement, from: HTMLElement | null | undefined) {
  if (!dialog.open) dialog.showModal();
  if (!from?.isConnected) return;
  const anchor = from.getBoundingClientRect();
  const { offsetWidth: width, offsetHeight: height } = dialog;
  const below = anchor.bottom + 4;
  const top = below + height <= innerHeight - MARGIN ? below : Math.max(MARGIN, anchor.top - 4 - height);
  const left = Math.min(Math.max(MARGIN, anchor.right - width), innerWidth - width - MARGIN);
  Object.assign(dialog.style, {
    position: 'fixed',
    inset: 'auto',
    top: `${top}px`,
    left: `${Math.max(MARGIN, left)}px`,
  });
}

function Dialog({
  action,
  onCancel,
  warning,
  labelledBy,
  children,
}: {
  action: PendingAction;
  onCancel: () => void;
  warning: boolean;
  labelledBy: string;
  children: ComponentChildren;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  useLayoutEffect(() => {
    const el = dialog.current!;
    placeNear(el, action.from);
    (
      el.querySelector<HTMLElement>('[data-autofocus]') ?? el.querySelector<HTMLElement>('input, button:not(:disabled)')
    )?.focus();
    return () => {
      if (el.open) el.close();
      if (action.from?.isConnected) action.from.focus();
    };
  }, []);
  return (
    <dialog
      ref={dialog}
      class={warning ? 'ads-panel ads-panel-warning' : 'ads-panel'}
      role={warning ? 'alertdialog' : 'dialog'}
      aria-labelledby={labelledBy}
      aria-describedby={warning ? 'ads-panel-warning' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}

export function ActionPanel({ action, busy, onConfirmPermissions, onConfirmUnlink, onCancel }: Props) {
  const [permissions, setPermissions] = useState<Permission[]>(
    action.kind === 'permissions' ? action.authorization.permissions.granted : [],
  );
  if (action.kind === 'permissions') {
    const a = action.authorization;
    return (
      <Dialog action={action} onCancel={onCancel} warning={false} labelledBy="ads-panel-title">
        <h3 id="ads-panel-title">{t('ads_change_permissions_for', a.tiktok.username)}</h3>
        <PermissionPicker
          legend={t('ads_permissions_legend')}
          value={permissions}
          onChange={setPermissions}
          idPrefix="ads-patch-perm"
        />
        <p class="ads-blocked">{t('ads_patch_note')}</p>
        {permissions.length === 0 && <p class="ads-problem">{t('ads_permissions_required')}</p>}
        <div class="ads-row-actions">
          <button
            type="button"
            class="btn-primary"
            disabled={busy || permissions.length === 0}
            onClick={() => onConfirmPermissions(a, permissions)}
          >
            {t('ads_save_permissions')}
          </button>
          <button type="button" onClick={onCancel}>
            {t('ads_cancel')}
          </button>
        </div>
      </Dialog>
    );
  }
  const names = action.authorizations.map((a) => `@${a.tiktok.username}`).join(', ');
  return (
    <Dialog action={action} onCancel={onCancel} warning labelledBy="ads-panel-title">
      <h3 id="ads-panel-title">{tn('ads_unlink_title', action.authorizations.length, [names])}</h3>
      <p id="ads-panel-warning">{t('ads_unlink_warning')}</p>
      <div class="ads-row-actions">
        <button type="button" class="btn-danger" disabled={busy} onClick={() => onConfirmUnlink(action.authorizations)}>
          {t('ads_unlink_confirm')}
        </button>
        <button type="button" data-autofocus onClick={onCancel}>
          {t('ads_cancel')}
        </button>
      </div>
    </Dialog>
  );
}
