/**
 * A 6-digit code in 6 boxes: digits only, moves to the next box as you type, Backspace goes back, and pasting
 * (or typing) a whole code anywhere fills every box. A code is handed on only when every box was filled since the
 * boxes were last emptied, so digits left from a refused code are never sent with one new digit. When `resetKey`
 * changes (a code was refused) the first box takes the focus as soon as the boxes can be typed in.
 */
import { useEffect, useRef } from 'preact/hooks';

interface Props {
  value: string;
  onChange: (value: string) => void;
  /** Called once all the digits were freshly entered. */
  onComplete: (code: string) => void;
  label: string;
  digitLabel: (n: number) => string;
  disabled?: boolean;
  length?: number;
  resetKey?: number;
}

export const onlyDigits = (text: string) => text.replace(/\D/g, '');

/**
 * The boxes' state and keys: which boxes were freshly filled, where the focus goes, and what typing, pasting,
 * Backspace and the arrows do to the value.
 */
function useCodeBoxes({
  value,
  onChange,
  onComplete,
  disabled,
  length,
  resetKey,
}: Props & { disabled: boolean; length: number; resetKey: number }) {
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  /** The boxes filled since the boxes were last empty. */
  const fresh = useRef(new Set<number>());
  if (value === '') fresh.current.clear();
  const focus = (i: number) => boxes.current[Math.max(0, Math.min(length - 1, i))]?.focus();

  const wantsFocus = useRef(false);
  useEffect(() => {
    if (resetKey) wantsFocus.current = true;
  }, [resetKey]);
  useEffect(() => {
    if (!wantsFocus.current || disabled) return;
    wantsFocus.current = false;
    focus(0);
  }, [resetKey, disabled]);

  const put = (at: number, digits: string) => {
    const chars = value.padEnd(length, ' ').split('');
    digits.split('').forEach((d, k) => {
      if (at + k >= length) return;
      chars[at + k] = d;
      fresh.current.add(at + k);
    });
    const next = chars.join('').replace(/ +$/, '');
    onChange(next);
    focus(at + digits.length);
    if (/^\d+$/.test(next) && next.length === length && fresh.current.size === length) onComplete(next);
  };

  const onInput = (i: number, e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const digits = onlyDigits(input.value);
    input.value = value[i] ?? '';
    if (!digits) return;
    put(digits.length >= length ? 0 : i, digits.slice(0, length));
  };

  const onPaste = (i: number, e: ClipboardEvent) => {
    e.preventDefault();
    const digits = onlyDigits(e.clipboardData?.getData('text') ?? '').slice(0, length);
    if (digits) put(digits.length === length ? 0 : i, digits);
  };

  const onKeyDown = (i: number, e: KeyboardEvent) => {
    if (e.key === 'Backspace') {
      e.preventDefault();
      const chars = value.split('');
      if (chars[i] && chars[i] !== ' ') {
        chars[i] = ' ';
        fresh.current.delete(i);
      } else if (i > 0) {
        chars[i - 1] = ' ';
        fresh.current.delete(i - 1);
        focus(i - 1);
      }
      onChange(chars.join('').replace(/ +$/, ''));
    } else if (e.key === 'ArrowLeft') focus(i - 1);
    else if (e.key === 'ArrowRight') focus(i + 1);
  };

  return { boxes, onInput, onPaste, onKeyDown };
}

export function CodeInput(props: Props) {
  const { value, label, digitLabel, disabled = false, length = 6, resetKey = 0 } = props;
  const { boxes, onInput, onPaste, onKeyDown } = useCodeBoxes({ ...props, disabled, length, resetKey });
  return (
    <fieldset class="code-input" disabled={disabled}>
      <legend>{label}</legend>
      {Array.from({ length }, (_, i) => (
        <input
          key={i}
          ref={(el) => {
            boxes.current[i] = el;
          }}
          class="code-box"
          type="text"
          inputMode="numeric"
          autoComplete={i === 0 ? 'one-time-code' : 'off'}
          pattern="[0-9]*"
          maxLength={length}
          aria-label={digitLabel(i + 1)}
          value={(value[i] ?? '').trim()}
          onInput={(e) => onInput(i, e)}
          onPaste={(e) => onPaste(i, e)}
          onKeyDown={(e) => onKeyDown(i, e)}
          onFocus={(e) => (e.currentTarget as HTMLInputElement).select()}
        />
      ))}
    </fieldset>
  );
}
