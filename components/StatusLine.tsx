/**
 * One line that screen readers announce when it changes: `polite` for progress and success, an `alert` for
 * failures. An optional action (Retry, Send a new code, ...) sits next to the text. Pass `live={false}` when it is
 * placed inside a live region that stays on the page (announcements of inserted regions are unreliable).
 */
import type { ComponentChildren } from 'preact';

interface Props {
  tone: 'info' | 'success' | 'error';
  text: string;
  action?: ComponentChildren;
  live?: boolean;
}

export function StatusLine({ tone, text, action, live = true }: Props) {
  const region = live
    ? {
        role: tone === 'error' ? ('alert' as const) : ('status' as const),
        'aria-live': tone === 'error' ? ('assertive' as const) : ('polite' as const),
      }
    : {};
  return (
    <div class={`status status-${tone}`} {...region}>
      <span class="status-text">{text}</span>
      {action}
    </div>
  );
}
