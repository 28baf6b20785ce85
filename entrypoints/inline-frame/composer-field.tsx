/**
 * The text box of a composer: Enter sends, Shift+Enter starts a new line, a counter shows the length as TikTok counts
 * it, and text over the limit is refused here, before anything is sent.
 */
import { useEffect, useRef } from 'preact/hooks';
import { tiktokLength } from '@/utils/api/rules';
import { t } from '@/utils/i18n';

export function ComposerField(props: {
  label: string;
  text: string;
  max: number;
  busy: boolean;
  autoFocus?: boolean;
  onInput: (text: string) => void;
  onSubmit: (text: string) => void;
}) {
  const box = useRef<HTMLTextAreaElement>(null);
  const length = tiktokLength(props.text);
  const over = length > props.max;
  const empty = props.text.trim() === '';

  useEffect(() => {
    if (props.autoFocus) box.current?.focus();
  }, [props.autoFocus]);

  const submit = () => {
    if (!over && !empty && !props.busy) props.onSubmit(props.text);
  };

  return (
    <>
      <textarea
        ref={box}
        aria-label={props.label}
        placeholder={props.label}
        value={props.text}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
            e.preventDefault();
            submit();
          }
        }}
      />
      <div class="row">
        <span class={over ? 'counter over' : 'counter muted'} data-testid="counter" aria-live="polite">
          {t('inline_counter', [length, props.max])}
        </span>
        {over && (
          <span class="error" role="alert">
            {t('inline_too_long', [length, props.max])}
          </span>
        )}
        <span class="spacer" />
        <span class="muted">{t('inline_enter_hint')}</span>
        <button type="button" class="btn primary" disabled={over || empty || props.busy} onClick={submit}>
          {props.busy ? t('inline_sending') : t('inline_send')}
        </button>
      </div>
    </>
  );
}
