/**
 * What the composer frame and the content script that framed it tell each other with `postMessage`, and nothing
 * else: the frame's height (so the iframe has no scroll bar), "ready" (the content script then focuses the iframe
 * when the user opened it), "close" (Escape); the content script sends Gmail's look (theme, density). None of it is
 * secret or trusted: the page sees and can forge all of it, so each side checks the shape and only ever changes
 * layout or colours with it. The conversation, the draft and the target never cross this channel.
 */
export const GMAIL_ORIGIN = 'https://mail.google.com';
export const MAX_FRAME_HEIGHT = 2000;

export type FrameToPage = { ttgFrame: 'height'; height: number } | { ttgFrame: 'ready' } | { ttgFrame: 'close' };
export type PageToFrame = { ttgLook: { theme: 'light' | 'dark'; density: 'compact' | 'default' } };

export function readFrameMessage(data: unknown): FrameToPage | null {
  const m = data as Partial<Record<string, unknown>> | null;
  if (!m || typeof m !== 'object') return null;
  if (m.ttgFrame === 'height' && typeof m.height === 'number' && Number.isFinite(m.height)) {
    return { ttgFrame: 'height', height: Math.max(0, Math.min(MAX_FRAME_HEIGHT, Math.ceil(m.height))) };
  }
  if (m.ttgFrame === 'ready' || m.ttgFrame === 'close') return { ttgFrame: m.ttgFrame };
  return null;
}

export function readLook(data: unknown): PageToFrame['ttgLook'] | null {
  const look = (data as { ttgLook?: { theme?: unknown; density?: unknown } } | null)?.ttgLook;
  if (
    !look ||
    (look.theme !== 'light' && look.theme !== 'dark') ||
    (look.density !== 'compact' && look.density !== 'default')
  )
    return null;
  return { theme: look.theme, density: look.density };
}
