/** Thrown instead of queueing without bound: the caller answers 503 with Retry-After. */
export class SlotsBusy extends Error {
  constructor(readonly retryAfterSeconds = 1) {
    super('Too much work of this kind is already running or waiting');
  }
}

export interface Slots {
  /** Runs `task` once one of the slots is free; throws SlotsBusy at once when the wait list is full. */
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly active: number;
  readonly waiting: number;
}

/**
 * A semaphore with a bounded wait list: at most `concurrency` tasks run, at most `maxWaiting` wait
 * (first come, first served), and the rest are refused straight away rather than piling up.
 */
export function createSlots(concurrency: number, maxWaiting: number): Slots {
  let active = 0;
  const queue: (() => void)[] = [];
  const release = () => {
    const next = queue.shift();
    // The slot passes straight to the next waiter, so `active` never drops below what runs.
    if (next !== undefined) next();
    else active--;
  };
  return {
    async run(task) {
      if (active < concurrency) active++;
      else if (queue.length < maxWaiting) await new Promise<void>((resolve) => queue.push(resolve));
      else throw new SlotsBusy();
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
