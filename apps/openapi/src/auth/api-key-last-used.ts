import type { Db } from '@enginy/db/client';
import { touchApiKeys } from '@enginy/db/queries/api-keys';
import type { FastifyBaseLogger } from 'fastify';

/**
 * When each API key was last used, kept in memory and written in one statement every
 * `intervalMs` (and on close): a REST call never waits for a write, the console's "last used" is
 * at most one interval behind, and a failed write is retried with the next one.
 */
export class ApiKeyLastUsed {
  private pending = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: Db,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 2_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  record(keyId: string): void {
    this.pending.set(keyId, new Date());
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      try {
        await touchApiKeys(this.db, batch);
      } catch (error) {
        this.log.warn({ err: error }, 'API key last-used times not written yet; will retry');
        // A newer use recorded meanwhile wins over the failed batch's time.
        for (const [keyId, at] of batch) if (!this.pending.has(keyId)) this.pending.set(keyId, at);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }
}
