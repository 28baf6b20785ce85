/**
 * How the content script shares the main thread with Gmail: `nextTask` runs a function in a task of its own (after
 * what the browser queued meanwhile: input, rendering), and `measureTask` records a stretch of our work for
 * `npm run bench` (scripts/bench.ts reads `ttg-detect`, the detector's slices, and `ttg-features`, the inline
 * features' tasks; `source` says which part did the work), only when the page asks for it.
 */
export function nextTask(fn: () => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => fn();
  channel.port2.postMessage(null);
}

export function measureTask(name: 'ttg-detect' | 'ttg-features', start: number, source?: 'mount' | 'look' | 'link-health'): void {
  if (document.documentElement.hasAttribute('data-ttg-bench')) performance.measure(name, { start, end: performance.now(), detail: source && { source } });
}
