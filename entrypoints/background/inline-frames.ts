/**
 * Composer frames: the DM conversation and the reply composers live in our own page (inline-frame.html) framed in the
 * Gmail tab, so the Gmail page, which may be compromised, holds none of their text and cannot type into them.
 *
 * The content script asks for a frame for one email's target (`inlineFrameOpen`: kind, @username, video id) and gets a
 * token for the frame's URL. The target is pinned here with the tab and the account that tab reported: swapping the
 * email under an open composer cannot point it at another conversation. The page can read the token (the frame's URL
 * is in its DOM), so the first frame that claims it (`inlineFrameClaim`) owns it by frame id; another frame of the tab
 * with the same token, or any frame of another tab, is refused.
 */
import browser from 'webextension-polyfill';
import { storage } from 'wxt/utils/storage';
import { AppError } from '@/utils/api/errors';
import type { InlineFrameTarget } from '@/utils/messaging/catalogue';
import type { Handlers, SenderInfo } from '@/utils/messaging/router';
import { allowedGmail } from './sender-policy';

interface FrameEntry extends Omit<InlineFrameTarget, 'focus'> {
  tabId: number;
  /** The frame that claimed the token first, null until then. */
  frameId: number | null;
  /** Whether the claiming frame takes the focus (the user opened it); handed out once. */
  focus: boolean;
  created_at: number;
}

/** Tokens kept per tab (a thread with many composers opened and closed) and in all. */
const PER_TAB = 20;
const TOTAL = 200;

/** `storage.session`: trusted contexts only; survives the worker stopping, gone when the browser quits. */
const framesItem = storage.defineItem<Record<string, FrameEntry>>('session:inlineFrames', { fallback: {} });

let writing: Promise<unknown> = Promise.resolve();
function update<T>(
  fn: (frames: Record<string, FrameEntry>) => { frames: Record<string, FrameEntry>; result: T },
): Promise<T> {
  const next = writing.then(async () => {
    const { frames, result } = fn(await framesItem.getValue());
    await framesItem.setValue(frames);
    return result;
  });
  writing = next.catch(() => undefined);
  return next;
}

/** Keeps the newest `PER_TAB` entries of each tab and the newest `TOTAL` in all. */
export function pruneFrames(frames: Record<string, FrameEntry>): Record<string, FrameEntry> {
  const perTab = new Map<number, number>();
  const kept = Object.entries(frames)
    .sort(([, a], [, b]) => b.created_at - a.created_at)
    .filter(([, entry]) => {
      const n = (perTab.get(entry.tabId) ?? 0) + 1;
      perTab.set(entry.tabId, n);
      return n <= PER_TAB;
    })
    .slice(0, TOTAL);
  return Object.fromEntries(kept);
}

const refuse = (message: string) => new AppError('forbidden_sender', message);

/** The claim rules, pure: who may have the frame `token` names, and the entry after that claim. */
export function claimFrame(
  entry: FrameEntry | undefined,
  sender: SenderInfo,
  account: string | null,
): { entry: FrameEntry; target: InlineFrameTarget } {
  if (!entry || sender.tabId !== entry.tabId) throw refuse('This composer was not opened in this tab.');
  if (entry.frameId !== null && entry.frameId !== sender.frameId)
    throw refuse('This composer is already open in another frame.');
  if (account !== entry.gmail) throw refuse('This Gmail tab now shows another account.');
  const { tabId: _tab, frameId: _frame, created_at: _at, focus, ...target } = entry;
  return { entry: { ...entry, frameId: sender.frameId ?? null, focus: false }, target: { ...target, focus } };
}

export const handlers: Handlers = {
  inlineFrameOpen: async ({ kind, username, video_id, video_owner, focus }, sender) => {
    const gmail = await allowedGmail(sender);
    if (gmail === null || sender.tabId === null) throw refuse('Only a Gmail tab opens composer frames.');
    const token = crypto.randomUUID();
    const entry: FrameEntry = {
      tabId: sender.tabId,
      gmail,
      kind,
      username: username.replace(/^@/, ''),
      ...(video_id && { video_id }),
      ...(video_owner && { video_owner }),
      focus,
      frameId: null,
      created_at: Date.now(),
    };
    await update((frames) => ({ frames: pruneFrames({ ...frames, [token]: entry }), result: null }));
    return { token };
  },
  inlineFrameClaim: async ({ token }, sender) => {
    const account = await allowedGmail(sender);
    return update((frames) => {
      const { entry, target } = claimFrame(frames[token], sender, account);
      return { frames: { ...frames, [token]: entry }, result: target };
    });
  },
};

/** Drops a closed tab's tokens (synchronously registered from the worker's main). */
export function start(): void {
  browser.tabs.onRemoved.addListener((tabId) => {
    void update((frames) => ({
      frames: Object.fromEntries(Object.entries(frames).filter(([, e]) => e.tabId !== tabId)),
      result: null,
    }));
  });
}
