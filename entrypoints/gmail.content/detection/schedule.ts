/**
 * When detection runs, so that the page never stalls: a pass starts in a microtask after the first change noted (the
 * mutations of one task make one pass), never two at once (a change noted during a pass is taken by that pass's own
 * loop, which runs again while work is left), and its work is cut into ~4 ms slices with a task of the page's between
 * them. Every slice is recorded for `npm run bench` (`ttg-detect`).
 */
import { measureTask, nextTask } from '../tasks';

const SLICE_MS = 4;

export interface Slicer {
  /** Whether this slice has run its time. */
  due(): boolean;
  /** Ends this slice and lets the page run a task before the next one. */
  yieldToPage(): Promise<void>;
}

function startSlice(): Slicer & { end(): void } {
  let start = performance.now();
  return {
    due: () => performance.now() - start > SLICE_MS,
    async yieldToPage() {
      measureTask('ttg-detect', start);
      await new Promise<void>((resolve) => nextTask(resolve));
      start = performance.now();
    },
    end: () => measureTask('ttg-detect', start),
  };
}

/**
 * Returns `schedule()`: runs `step` in a microtask, and again while `pending()`. The last check of `pending()` and
 * the end of the run happen together, so a change noted at any time is either taken by the run or schedules a new one.
 */
export function scheduler(
  step: (slice: Slicer) => Promise<void>,
  pending: () => boolean,
  fail: (e: unknown) => void,
): () => void {
  let scheduled = false;
  let running = false;
  async function run(): Promise<void> {
    running = true;
    const slice = startSlice();
    try {
      do await step(slice);
      while (pending());
    } finally {
      running = false;
      slice.end();
    }
  }
  return () => {
    if (scheduled || running) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      void run().catch(fail);
    });
  };
}
