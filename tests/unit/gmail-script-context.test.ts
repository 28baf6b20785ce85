/**
 * The content script's lean ContentScriptContext (entrypoints/gmail.content/script-context.ts, aliased in for WXT's in
 * the content-script build): a newer copy of the same script announcing itself stops the older one, and only that.
 */
import { describe, expect, it, vi } from 'vitest';
import { ContentScriptContext } from '@/entrypoints/gmail.content/script-context';

describe('ContentScriptContext (content-script build)', () => {
  it('is invalidated when a newer copy of the same script starts, not by itself or by another script', () => {
    const old = new ContentScriptContext('gmail');
    const stopped = vi.fn();
    const untouched = vi.fn();
    old.onInvalidated(stopped);
    old.onInvalidated(untouched)(); // taken back before anything happens
    new ContentScriptContext('other'); // another content script of the extension
    expect(stopped).not.toHaveBeenCalled();
    const newer = new ContentScriptContext('gmail');
    const newerStopped = vi.fn();
    newer.onInvalidated(newerStopped);
    expect(stopped).toHaveBeenCalledTimes(1);
    expect(untouched).not.toHaveBeenCalled();
    expect(newerStopped).not.toHaveBeenCalled(); // its own announcement does not stop it
    new ContentScriptContext('gmail');
    expect(stopped).toHaveBeenCalledTimes(1); // stopped once, and no longer listening
    expect(newerStopped).toHaveBeenCalledTimes(1);
  });
});
