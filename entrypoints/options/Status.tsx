export interface StatusMessage {
  tone: 'ok' | 'error' | 'info';
  text: string;
}

/** A live region that screen readers announce when its text changes. */
export function Status({ status, testId }: { status: StatusMessage | null; testId: string }) {
  return (
    <p class={`status ${status?.tone ?? ''}`} role={status?.tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {status?.text ?? ''}
    </p>
  );
}
