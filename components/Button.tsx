/** A button that shows it is working and cannot be pressed twice meanwhile; `kind` is its role's one style. */
import type { ComponentChildren } from 'preact';

interface Props {
  onClick?: () => void;
  busy?: boolean;
  disabled?: boolean;
  kind?: 'primary' | 'secondary' | 'danger' | 'quiet';
  type?: 'button' | 'submit';
  children: ComponentChildren;
  describedBy?: string;
}

export function Button({
  onClick,
  busy = false,
  disabled = false,
  kind = 'secondary',
  type = 'button',
  children,
  describedBy,
}: Props) {
  return (
    <button
      type={type}
      class={`btn btn-${kind}`}
      onClick={onClick}
      disabled={disabled || busy}
      aria-busy={busy}
      aria-describedby={describedBy}
    >
      {children}
    </button>
  );
}
