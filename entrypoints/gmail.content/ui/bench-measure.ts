/**
 * Records a task of the inline features for `npm run bench` (scripts/bench.ts: "longest inline-features task"), only
 * when the page asks for it. `source` (in the entry's detail) says which part of the inline UI did the work.
 */
export function measureFeatures(start: number, source: 'mount' | 'look' | 'link-health'): void {
  if (document.documentElement.hasAttribute('data-ttg-bench')) performance.measure('ttg-features', { start, end: performance.now(), detail: { source } });
}
