/**
 * The composer frame's key guard (entrypoints/inline-frame/key-guard.ts): after the frame lost the focus, Enter on the
 * reply box or on a button, and Space on a button, do nothing until the user clicks or tabs inside the frame; typing,
 * Shift+Enter and Escape always work; events the page could make (untrusted) never make it ready.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { guardKeys, pressesSomething } from '@/entrypoints/inline-frame/key-guard';

afterEach(() => document.body.replaceChildren());

function setup(startReady: boolean) {
  const box = document.createElement('textarea');
  const button = document.createElement('button');
  const link = document.createElement('a');
  link.href = 'https://www.tiktok.com/messages';
  document.body.append(box, button, link);
  let held = 0;
  const guard = guardKeys(window, startReady, () => held++);
  const press = (target: Element, key: string, init: KeyboardEventInit = {}) => {
    const e = new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init });
    target.dispatchEvent(e);
    return e.defaultPrevented ? 'held' : 'passed';
  };
  return { box, button, link, guard, press, held: () => held };
}

describe('composer frame key guard', () => {
  it('what presses something: Enter on the box (not Shift+Enter), Enter or Space on buttons and links', () => {
    const { box, button, link, guard } = setup(true);
    const cases: [Element, string, boolean, boolean][] = [
      [box, 'Enter', false, true],
      [box, 'Enter', true, false],
      [box, ' ', false, false],
      [box, 'a', false, false],
      [button, 'Enter', false, true],
      [button, ' ', false, true],
      [link, 'Enter', false, true],
      [link, ' ', false, true],
      [document.body, 'Enter', false, false],
    ];
    for (const [target, key, shiftKey, expected] of cases)
      expect(pressesSomething({ key, shiftKey, target }), `${(target as Element).tagName} ${key} ${shiftKey}`).toBe(
        expected,
      );
    guard.stop();
  });

  it('a composer the user opened is ready; after the frame loses the focus, Enter and Space are held and the user is told', () => {
    const { box, button, link, guard, press, held } = setup(true);
    expect(press(box, 'Enter')).toBe('passed');
    window.dispatchEvent(new Event('blur'));
    const attempts: [Element, string][] = [
      [box, 'Enter'],
      [button, 'Enter'],
      [button, ' '],
      [link, 'Enter'],
      [box, 'Enter'],
    ];
    for (const [target, key] of attempts) expect(press(target, key), `${target.tagName} ${key}`).toBe('held');
    expect(held()).toBe(attempts.length);
    // Typing, Shift+Enter and Escape are never held.
    for (const [key, init] of [
      ['a', {}],
      ['Enter', { shiftKey: true }],
      ['Escape', {}],
    ] as const)
      expect(press(box, key, init)).toBe('passed');
    guard.stop();
  });

  it('untrusted pointer presses and Tabs (what a page could dispatch) do not make it ready', () => {
    const { box, button, guard, press } = setup(false);
    box.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    box.dispatchEvent(new KeyboardEvent('keydown', { key: 'Tab', bubbles: true }));
    expect(press(box, 'Enter')).toBe('held');
    expect(press(button, ' ')).toBe('held');
    expect(guard.ready()).toBe(false);
    guard.stop();
  });

  it('once stopped, nothing is held', () => {
    const { box, guard, press } = setup(false);
    guard.stop();
    expect(press(box, 'Enter')).toBe('passed');
  });
});
