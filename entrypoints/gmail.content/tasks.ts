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

export function measureTask(
  name: 'ttg-detect' | 'ttg-features',
  start: number,
  source?: 'mount' | 'look' | 'link-health',
): void {
  if (document.documentElement.hasAttribute('data-ttg-bench'))
    performance.measure(name, { start, end: performance.now(), detail: source && { source } });
}

const SLICE_MS = 8;
const noop = () => {};

/**
 * A queue of jobs run in slices of at most ~8 ms, each slice a task of its own (scheduled by `later`), so no task of
 * ours is long however much is queued. A failing job never stops the others. Returns the function that queues a job.
 */
export function taskQueue(later: (fn: () => void) => void, source?: 'mount'): (job: () => void) => void {
  let jobs: (() => void)[] = [];
  let head = 0;
  let running = false;
  const runSlice = () => {
    const start = performance.now();
    while (head < jobs.length && performance.now() - start < SLICE_MS) {
      const job = jobs[head]!;
      jobs[head++] = noop; // let it be collected
      try {
        job();
      } catch {
        /* one failing job never stops the others */
      }
    }
    if (head >= jobs.length) {
      jobs = [];
      head = 0;
    } else if (head > 1024) {
      jobs = jobs.slice(head);
      head = 0;
    }
    measureTask('ttg-features', start, source);
    if (jobs.length) later(runSlice);
    else running = false;
  };
  return (job) => {
    jobs.push(job);
    if (running) return;
    running = true;
    later(runSlice);
  };
}
