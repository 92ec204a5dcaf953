/** The most keys one query carries; a burst larger than this is split over several queries. */
const MAX_BATCH = 128;

interface Waiting<K, V> {
  key: K;
  resolve(value: V | undefined): void;
  reject(error: unknown): void;
}

/**
 * Reads by key from a hot path (every MCP call, every credits call) that share round trips, each
 * answering for the moment its request arrived: a read joins only a query that has not been sent.
 *
 * When no read is in flight (one connection, a quiet endpoint) the query goes out at once, so that
 * the database works on it while the request's body is still being parsed. While one is in flight,
 * the reads that arrive in the same turn of the event loop share one query, and the per-query cost
 * (a write syscall that wakes the server, the row description, the pool's checkout) is paid by the
 * batch instead of by each request. `readMany` answers a map holding the keys it found.
 */
export class BatchedReads<K, V> {
  private queue: Waiting<K, V>[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly readMany: (keys: K[]) => Promise<ReadonlyMap<K, V>>) {}

  read(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      if (this.inFlight === 0 && !this.scheduled) {
        void this.run([{ key, resolve, reject }]);
        return;
      }
      this.queue.push({ key, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate runs after the poll phase: the requests parsed from the same socket reads join.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const queue = this.queue;
    this.queue = [];
    for (let start = 0; start < queue.length; start += MAX_BATCH) void this.run(queue.slice(start, start + MAX_BATCH));
  }

  private async run(batch: Waiting<K, V>[]): Promise<void> {
    this.inFlight++;
    try {
      const found = await this.readMany([...new Set(batch.map((waiting) => waiting.key))]);
      for (const waiting of batch) waiting.resolve(found.get(waiting.key));
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight--;
    }
  }
}
