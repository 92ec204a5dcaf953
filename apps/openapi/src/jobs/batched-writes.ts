import type { FastifyBaseLogger } from 'fastify';

export interface BatchKind<Batch> {
  /** Named in the log when a write fails. */
  what: string;
  empty(): Batch;
  isEmpty(batch: Batch): boolean;
  write(batch: Batch): Promise<void>;
  /** Folds a batch whose write failed into the newer one, which wins where both hold a value. */
  mergeFailed(failed: Batch, into: Batch): void;
}

/**
 * Usage kept in memory and written in one batch every `intervalMs` (and on close): the hot path
 * never waits for a write, readers are at most one interval behind, and a failed write goes back
 * into the next batch, so nothing is lost. Flushes run one after another, never two at once.
 */
export class BatchedWrites<Batch> {
  private batch: Batch;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly kind: BatchKind<Batch>,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 2_000,
  ) {
    this.batch = kind.empty();
  }

  /** The batch being filled: record into it. */
  get current(): Batch {
    return this.batch;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.kind.isEmpty(this.batch)) return;
      const batch = this.batch;
      this.batch = this.kind.empty();
      try {
        await this.kind.write(batch);
      } catch (error) {
        this.log.warn({ err: error }, `${this.kind.what} not written yet; will retry`);
        this.kind.mergeFailed(batch, this.batch);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
