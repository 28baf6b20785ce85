/**
 * Catches an error thrown while rendering the popup, so a bug shows a message with a way forward (Reload) instead of
 * a blank or half-drawn popup. The error is logged for the developer console; its text is shown as text only.
 */
import { Component, type ComponentChildren } from 'preact';
import { Button } from '@/components/Button';
import { StatusLine } from '@/components/StatusLine';
import { t } from '@/utils/i18n';

interface State {
  error: string | null;
}

export class RenderGuard extends Component<{ children: ComponentChildren; reload?: () => void }, State> {
  override state: State = { error: null };

  static override getDerivedStateFromError(error: unknown): State {
    return { error: String((error as Error)?.message ?? error) };
  }

  override componentDidCatch(error: unknown): void {
    console.error('popup render failed', error);
  }

  override render() {
    if (this.state.error === null) return this.props.children;
    const reload = this.props.reload ?? (() => location.reload());
    return (
      <main class="popup">
        <h1>{t('extName')}</h1>
        <StatusLine
          tone="error"
          text={t('popup_render_error', this.state.error)}
          action={<Button onClick={reload}>{t('popup_reload')}</Button>}
        />
      </main>
    );
  }
}
