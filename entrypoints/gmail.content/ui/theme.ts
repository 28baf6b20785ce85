/**
 * Gmail has no DOM flag for its theme or density: read the theme from the computed background behind our UI, and the
 * density from the height of a list row.
 *
 * Both are read for the whole document, not per mounted UI (a read per row forced a style and layout pass per row:
 * 838 ms of work at 5,000 rows), and shared by every inline UI through `trackLook(root, context)`. They are read in a
 * ResizeObserver callback on the latest row or message with UI: the browser calls it in its own rendering step, after
 * style and layout and before paint, so the reads force nothing and a new UI never shows the wrong look. The probe is
 * renewed after new UI was mounted (once per frame) and when Gmail may have switched theme (a MutationObserver on the
 * attributes of <html> and <body> and on <head>'s stylesheets); a row that changes height (density) reports itself.
 * When the look changes, every live UI follows at once (an open composer too).
 */
import { measureTask } from '../tasks';

export type Theme = 'light' | 'dark';
export type Density = 'compact' | 'default';

function parseRgb(color: string): { r: number; g: number; b: number; a: number } | null {
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,/\s]+([\d.]+%?))?\s*\)/.exec(color);
  if (!m) return null;
  const alpha = m[4] === undefined ? 1 : m[4].endsWith('%') ? parseFloat(m[4]) / 100 : parseFloat(m[4]);
  return { r: +m[1]!, g: +m[2]!, b: +m[3]!, a: alpha };
}

/** Relative luminance (WCAG) of an sRGB colour, 0 (black) to 1 (white). */
export function luminance({ r, g, b }: { r: number; g: number; b: number }): number {
  const lin = (v: number) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** Dark when the first mostly opaque background at or above `from` is dark. */
export function detectTheme(from: Element): Theme {
  for (let el: Element | null = from; el; el = el.parentElement) {
    const color = parseRgb(getComputedStyle(el).backgroundColor);
    if (color && color.a >= 0.5) return luminance(color) < 0.2 ? 'dark' : 'light';
  }
  return 'light';
}

/** Compact when a list row is shorter than Gmail's default 40 px rows; null when the height says nothing (not laid out). */
export function densityOfRowHeight(height: number): Density | null {
  if (!(height > 0)) return null;
  return height < 34 ? 'compact' : 'default';
}

// ---- the document's look, shared by every inline UI ----------------------------------------------------------------

interface Live {
  root: HTMLElement;
  context: Element;
}

const look: { theme: Theme; density: Density } = { theme: 'light', density: 'default' };
const live = new Set<Live>();
let latest: Live | null = null;
let watching = false;
let probe: ResizeObserver | null = null;
let probed: Element | null = null;
let probing = false;

function apply(root: HTMLElement): void {
  if (root.dataset.theme !== look.theme) root.dataset.theme = look.theme;
  if (root.dataset.density !== look.density) root.dataset.density = look.density;
}

/** A context still in the page, the latest one first (the one the user most likely looks at). */
function connectedContext(): Element | null {
  if (latest?.context.isConnected) return latest.context;
  for (const entry of live) if (entry.context.isConnected) return entry.context;
  return null;
}

/** Reads the look around `context`; `rowHeight` is its laid-out height when the browser reported it. */
function read(context: Element, rowHeight: number | null): void {
  const start = performance.now();
  const theme = detectTheme(context);
  const density =
    (context instanceof HTMLTableRowElement && rowHeight !== null && densityOfRowHeight(rowHeight)) || look.density;
  if (theme !== look.theme || density !== look.density) {
    look.theme = theme;
    look.density = density;
    for (const entry of live) apply(entry.root);
  }
  measureTask('ttg-features', start, 'look');
}

function onProbe(records: ResizeObserverEntry[]): void {
  probing = false;
  const record = records[records.length - 1];
  if (!record?.target.isConnected) return;
  read(record.target, record.borderBoxSize?.[0]?.blockSize ?? record.contentRect.height);
}

/** Read the look in the browser's next rendering step (once, however many UIs were mounted meanwhile). */
function readSoon(): void {
  if (probing && probed?.isConnected) return; // (a probe on an element Gmail removed may never report)
  const context = connectedContext();
  if (!context) return;
  if (typeof ResizeObserver !== 'function') {
    probing = true;
    requestAnimationFrame(() => {
      probing = false;
      if (context.isConnected) read(context, null);
    });
    return;
  }
  probing = true;
  probe ??= new ResizeObserver(onProbe);
  if (probed) probe.unobserve(probed);
  probed = context;
  probe.observe(context); // a new observation reports the element's size after the next layout
}

function watchGmailTheme(): void {
  if (watching || typeof MutationObserver !== 'function') return;
  watching = true;
  const observer = new MutationObserver(readSoon);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class', 'style'] });
  if (document.head)
    observer.observe(document.head, {
      childList: true,
      subtree: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['href', 'media', 'disabled'],
    });
  if (document.body) observer.observe(document.body, { attributes: true, attributeFilter: ['class', 'style'] });
}

/**
 * Gives `root` (the top element of a mounted UI) the document's theme and density as `data-theme`/`data-density`, now
 * and whenever they change, until the returned function is called. `context` is the row or message it belongs to.
 * Reads no style or layout itself (see above).
 */
export function trackLook(root: HTMLElement, context: Element): () => void {
  const entry: Live = { root, context };
  live.add(entry);
  latest = entry;
  apply(root);
  watchGmailTheme();
  readSoon();
  return () => {
    live.delete(entry);
    if (latest === entry) latest = null;
    if (probed === context) {
      probe?.unobserve(context);
      probed = null;
      probing = false;
    }
  };
}

/** The look every UI currently gets. */
export const currentLook = (): Readonly<typeof look> => ({ ...look });
