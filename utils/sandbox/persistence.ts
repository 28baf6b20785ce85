/**
 * The sandbox's one state and its persistence: requests run one at a time (a promise queue), each on the latest
 * persisted state (loaded before, saved after when it may have changed), so the embedded sandbox survives the worker
 * stopping and two requests never lose each other's writes.
 */
import { seedState, STATE_VERSION, type SandboxState } from './state';

export interface SandboxPersist {
  load(): Promise<unknown>;
  save(state: unknown): Promise<void>;
}

export interface StateHolder {
  current(): SandboxState;
  /** Runs `fn` after every earlier call has finished, on the latest persisted state. */
  queued<T>(fn: () => Promise<T>): Promise<T>;
  save(): Promise<void>;
}

const isState = (raw: unknown): raw is SandboxState =>
  typeof raw === 'object' && raw !== null && (raw as SandboxState).version === STATE_VERSION;

export function createStateHolder(opts: {
  persist?: SandboxPersist;
  initial?: SandboxState;
  now: () => number;
}): StateHolder {
  let state = opts.initial ?? seedState(opts.now());
  let loaded = !opts.persist || !!opts.initial;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    current: () => state,
    queued(fn) {
      const run = tail.then(async () => {
        if (opts.persist) {
          const raw = await opts.persist.load();
          if (isState(raw)) state = raw;
          else if (!loaded) await opts.persist.save(state); // first start (or an older state): the seeds
          loaded = true;
        }
        return fn();
      });
      tail = run.catch(() => undefined);
      return run;
    },
    save: async () => {
      await opts.persist?.save(state);
    },
  };
}
