/** A button that shows it is working and cannot be pressed twice meanwhile. */
import type { ComponentChildren } from 'preact';

interface Props {
  onClick: () => void;
  busy?: boolean;
  disabled?: boolean;
  kind?: 'primary' | 'secondary' | 'danger';
  children: ComponentChildren;
  describedBy?: string;
}

export function Button({ onClick, busy = false, disabled = false, kind = 'secondary', children, describedBy }: Props) {
  return (
    <button type="button" class={`btn btn-${kind}`} onClick={onClick} disabled={disabled || busy} aria-busy={busy} aria-describedby={describedBy}>
      {children}
    </button>
  );
}
