/**
 * Gmail has no DOM flag for its theme or density: read the theme from the computed background behind our UI, and the
 * density from the height of a list row.
 */
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

let lastDensity: Density = 'default';

/** Compact when a list row is shorter than Gmail's default 40 px rows; other elements reuse the last row measured. */
export function detectDensity(from: Element): Density {
  if (from instanceof HTMLTableRowElement) {
    const height = from.getBoundingClientRect().height;
    if (height > 0) lastDensity = height < 34 ? 'compact' : 'default';
  }
  return lastDensity;
}
