/**
 * Items the worker must take (read marks, verification codes), each under a key: an item stays pending until a send
 * of it is accepted, and a key accepted (or given up on) is not taken again. Sent in batches, `batchMs` after the first
 * one waiting (0: as soon as the code adding it has run). A refused, rejected or unanswered send (the worker starting,
 * this tab's account report not stored yet) is tried again with a backoff, `retryMs.first` doubling up to
 * `retryMs.max`, and given up after `maxTries` failed sends in a row. Used by mark-read.ts and report-codes.ts.
 */
export interface DeliveryOptions<V> {
  /** Sends a batch; resolves to the worker's answer. `null`: cannot be sent yet, try again after a backoff. */
  deliver: (batch: [string, V][]) => Promise<{ ok: boolean }> | null;
  batchMs: number;
  retryMs: { first: number; max: number };
  maxTries?: number;
  maxBatch?: number;
  /** A pending item no longer worth sending; dropped before each send. */
  expired?: (value: V) => boolean;
}

export interface Delivery<V> {
  /** Queues `value` under `key`, unless that key is pending already or was accepted or given up on. */
  add: (key: string, value: V) => void;
  /** Sends what is pending at once instead of after the wait under way (e.g. what waited for the address appearing). */
  sendNow: () => void;
  /** Drops what is pending: nothing is sent or scheduled after (nor added: the caller stops listening too). */
  stop: () => void;
}

export function startDelivery<V>({
  deliver,
  batchMs,
  retryMs,
  maxTries = Infinity,
  maxBatch,
  expired,
}: DeliveryOptions<V>): Delivery<V> {
  const pending = new Map<string, V>();
  /** Keys accepted, or given up on after `maxTries`. */
  const done = new Set<string>();
  /** The wait under way; `null` once stopped: nothing is scheduled any more. */
  let timer: ReturnType<typeof setTimeout> | undefined | null;
  let inFlight = false;
  let failures = 0;

  const schedule = (ms: number) => {
    if (timer !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, ms);
  };
  const soon = () => (batchMs ? schedule(batchMs) : queueMicrotask(flush));
  const retryLater = () => schedule(Math.min(retryMs.max, retryMs.first * 2 ** (++failures - 1)));

  async function flush(): Promise<void> {
    if (inFlight) return;
    if (expired) for (const [key, value] of pending) if (expired(value)) pending.delete(key);
    if (!pending.size) return;
    const batch = [...pending].slice(0, maxBatch);
    const sending = deliver(batch);
    if (!sending) return retryLater();
    inFlight = true;
    const ok = await sending.then(
      (r) => r.ok,
      () => false,
    );
    inFlight = false;
    if (!ok && failures + 1 < maxTries) return retryLater();
    failures = 0; // accepted, or given up on: later items start afresh
    for (const [key] of batch) {
      pending.delete(key);
      done.add(key);
    }
    if (pending.size) soon();
  }

  return {
    add(key, value) {
      if (pending.has(key) || done.has(key)) return;
      pending.set(key, value);
      if (!inFlight) soon();
    },
    sendNow() {
      clearTimeout(timer!);
      timer = undefined;
      void flush();
    },
    stop() {
      clearTimeout(timer!);
      timer = null;
      pending.clear(); // a send already on its way or queued finds nothing more to do
    },
  };
}
