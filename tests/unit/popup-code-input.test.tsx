import { render } from 'preact';
import { useState } from 'preact/hooks';
import { act } from 'preact/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CodeInput } from '@/components/CodeInput';

function mount(onComplete: (code: string) => void, initial = '') {
  const root = document.createElement('div');
  document.body.append(root);
  function Harness() {
    const [value, setValue] = useState(initial);
    return (
      <CodeInput
        value={value}
        onChange={setValue}
        onComplete={onComplete}
        label="6-digit code"
        digitLabel={(n) => `Digit ${n}`}
      />
    );
  }
  act(() => render(<Harness />, root));
  const boxes = [...root.querySelectorAll<HTMLInputElement>('input')];
  const type = (i: number, text: string) =>
    act(() => {
      boxes[i]!.value = text;
      boxes[i]!.dispatchEvent(new Event('input', { bubbles: true }));
    });
  const paste = (i: number, text: string) =>
    act(() => {
      const e = new Event('paste', { bubbles: true, cancelable: true }) as Event & {
        clipboardData: { getData(): string };
      };
      Object.defineProperty(e, 'clipboardData', { value: { getData: () => text } });
      boxes[i]!.dispatchEvent(e);
    });
  const key = (i: number, k: string) =>
    act(() => {
      boxes[i]!.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
    });
  const digits = () => boxes.map((b) => b.value).join('|');
  return { root, boxes, type, paste, key, digits };
}

afterEach(() => document.body.replaceChildren());

describe('CodeInput', () => {
  it('has 6 labelled boxes in a named group', () => {
    const { root, boxes } = mount(() => undefined);
    expect(root.querySelector('legend')?.textContent).toBe('6-digit code');
    expect(boxes.map((b) => b.getAttribute('aria-label'))).toEqual([
      'Digit 1',
      'Digit 2',
      'Digit 3',
      'Digit 4',
      'Digit 5',
      'Digit 6',
    ]);
    expect(boxes[0]!.autocomplete).toBe('one-time-code');
  });

  it('takes digits only and moves to the next box as you type', () => {
    const done = vi.fn();
    const { boxes, type, digits } = mount(done);
    type(0, '4');
    expect(document.activeElement).toBe(boxes[1]);
    type(1, 'x');
    expect(digits()).toBe('4|||||');
    expect(document.activeElement).toBe(boxes[1]);
    for (const [i, d] of [...'20931'].entries()) type(i + 1, d);
    expect(digits()).toBe('4|2|0|9|3|1');
    expect(done).toHaveBeenCalledWith('420931');
  });

  it('fills every box from a pasted code, whatever box has focus and whatever separates the digits', () => {
    const done = vi.fn();
    const { paste, digits } = mount(done);
    paste(3, 'Your code: 123 456');
    expect(digits()).toBe('1|2|3|4|5|6');
    expect(done).toHaveBeenCalledExactlyOnceWith('123456');
  });

  it('Backspace clears the box, then goes back', () => {
    const { boxes, type, key, digits } = mount(() => undefined);
    type(0, '7');
    type(1, '8');
    key(2, 'Backspace');
    expect(digits()).toBe('7|||||');
    expect(document.activeElement).toBe(boxes[1]);
  });

  it('never hands on a code made of one new digit and digits left from before', () => {
    const done = vi.fn();
    const { type, digits } = mount(done, '123456');
    type(0, '9');
    expect(digits()).toBe('9|2|3|4|5|6');
    expect(done).not.toHaveBeenCalled();
    for (const [i, d] of [...'87654'].entries()) type(i + 1, d);
    expect(done).toHaveBeenCalledExactlyOnceWith('987654');
  });
});
