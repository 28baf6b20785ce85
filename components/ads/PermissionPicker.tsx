/** Checkboxes for Ads permissions, in a fieldset with a legend; `allowed` limits the choice (e.g. to those asked). */
import type { Permission } from '@/utils/api/schemas';
import { PERMISSIONS, permissionLabel } from './labels';

interface Props {
  legend: string;
  value: readonly Permission[];
  onChange: (next: Permission[]) => void;
  allowed?: readonly Permission[];
  disabled?: boolean;
  idPrefix: string;
}

export function PermissionPicker({ legend, value, onChange, allowed = PERMISSIONS, disabled, idPrefix }: Props) {
  const toggle = (p: Permission, on: boolean) =>
    onChange(PERMISSIONS.filter((x) => (x === p ? on : value.includes(x))));
  return (
    <fieldset class="ads-perms" disabled={disabled}>
      <legend>{legend}</legend>
      {PERMISSIONS.filter((p) => allowed.includes(p)).map((p) => (
        <label key={p} for={`${idPrefix}-${p}`}>
          <input
            id={`${idPrefix}-${p}`}
            type="checkbox"
            checked={value.includes(p)}
            onChange={(e) => toggle(p, (e.currentTarget as HTMLInputElement).checked)}
          />
          {permissionLabel(p)}
        </label>
      ))}
    </fieldset>
  );
}
