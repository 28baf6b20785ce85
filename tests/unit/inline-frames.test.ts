/**
 * The background's composer-frame tokens (entrypoints/background/inline-frames.ts): a token opens one pinned target,
 * for the tab that asked and the account it showed, for the first frame that claims it; `focus` is handed out once;
 * the kept tokens are bounded per tab and in all.
 */
import { describe, expect, it } from 'vitest';
import { claimFrame, pruneFrames } from '@/entrypoints/background/inline-frames';

type Entry = Parameters<typeof claimFrame>[0] & object;
const entry: Entry = {
  tabId: 7,
  gmail: 'alex@gmail.com',
  kind: 'message',
  username: 'alice',
  focus: true,
  frameId: null,
  created_at: 1,
};
const frame = (tabId: number, frameId: number) => ({
  kind: 'frame' as const,
  tabId,
  url: 'chrome-extension://x/inline-frame.html',
  frameId,
});

describe('claimFrame', () => {
  it('gives the first frame of the tab its pinned target, focus once; that frame may claim again (a reload), no other', () => {
    const first = claimFrame(entry, frame(7, 3), 'alex@gmail.com');
    expect(first.target).toEqual({ gmail: 'alex@gmail.com', kind: 'message', username: 'alice', focus: true });
    const again = claimFrame(first.entry, frame(7, 3), 'alex@gmail.com');
    expect(again.target.focus).toBe(false);
    const refusals: [Entry | undefined, ReturnType<typeof frame>, string | null, RegExp][] = [
      [first.entry, frame(7, 4), 'alex@gmail.com', /already open in another frame/],
      [entry, frame(8, 3), 'alex@gmail.com', /not opened in this tab/],
      [undefined, frame(7, 3), 'alex@gmail.com', /not opened in this tab/],
      [entry, frame(7, 3), 'bob@gmail.com', /now shows another account/],
      [entry, frame(7, 3), null, /now shows another account/],
    ];
    for (const [e, sender, account, message] of refusals) expect(() => claimFrame(e, sender, account)).toThrow(message);
  });
});

describe('pruneFrames', () => {
  it('keeps the newest 20 tokens of a tab and 200 in all', () => {
    const many = Object.fromEntries(
      Array.from({ length: 300 }, (_, i) => [`t${i}`, { ...entry, tabId: i >= 250 ? 1 : i, created_at: i }]),
    );
    const kept = pruneFrames(many);
    const ofTab1 = Object.keys(kept).filter((k) => kept[k]!.tabId === 1);
    expect(ofTab1).toHaveLength(20);
    expect(ofTab1).toContain('t299');
    expect(ofTab1).not.toContain('t279');
    expect(Object.keys(kept)).toHaveLength(200);
  });
});
