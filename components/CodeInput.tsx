/**
 * A 6-digit code in 6 boxes: digits only, moves to the next box as you type, Backspace goes back, and pasting
 * (or typing) a whole code anywhere fills every box.
 */
import { useRef } from 'preact/hooks';

interface Props {
  value: string;
  onChange: (value: string) => void;
  /** Called once all the digits are there. */
  onComplete: (code: string) => void;
  label: string;
  digitLabel: (n: number) => string;
  disabled?: boolean;
  length?: number;
}

export const onlyDigits = (text: string) => text.replace(/\D/g, '');

export function CodeInput({ value, onChange, onComplete, label, digitLabel, disabled = false, length = 6 }: Props) {
  const boxes = useRef<(HTMLInputElement | null)[]>([]);
  const focus = (i: number) => boxes.current[Math.max(0, Math.min(length - 1, i))]?.focus();

  const put = (at: number, digits: string) => {
    const chars = value.padEnd(length, ' ').split('');
    digits.split('').forEach((d, k) => at + k < length && (chars[at + k] = d));
    const next = chars.join('').replace(/ +$/, '');
    onChange(next);
    focus(at + digits.length);
    if (/^\d+$/.test(next) && next.length === length) onComplete(next);
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
      if (chars[i] && chars[i] !== ' ') chars[i] = ' ';
      else if (i > 0) {
        chars[i - 1] = ' ';
        focus(i - 1);
      }
      onChange(chars.join('').replace(/ +$/, ''));
    } else if (e.key === 'ArrowLeft') focus(i - 1);
    else if (e.key === 'ArrowRight') focus(i + 1);
  };

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
