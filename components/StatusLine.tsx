/**
 * One line that screen readers announce when it changes: `polite` for progress and success, an `alert` for
 * failures. An optional action (Retry, Send a new code, ...) sits next to the text.
 */
import type { ComponentChildren } from 'preact';

interface Props {
  tone: 'info' | 'success' | 'error';
  text: string;
  action?: ComponentChildren;
}

export function StatusLine({ tone, text, action }: Props) {
  return (
    <div class={`status status-${tone}`} role={tone === 'error' ? 'alert' : 'status'} aria-live={tone === 'error' ? 'assertive' : 'polite'}>
      <span class="status-text">{text}</span>
      {action}
    </div>
  );
}
