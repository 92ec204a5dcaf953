import type { Db } from '@enginy/db/client';
import { type ActiveAccessTokenRow, findActiveAccessTokens } from '@enginy/db/queries/oauth-tokens';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';

/** A live access token with what its grant may do today: the policy in force applied to the stored row. */
export type ActiveAccessToken = ActiveAccessTokenRow & { effectiveScopes: string[] };

/** The most hashes one query carries; a burst larger than this is split over several queries. */
const MAX_BATCH = 128;

interface Waiting {
  hash: string;
  resolve(token: ActiveAccessToken | undefined): void;
  reject(error: unknown): void;
}

/**
 * Looks up access tokens by keyed hash. Every lookup reads the database after its request arrived,
 * so a revocation or a narrowed policy applies to the very next call (nothing is cached). When no
 * lookup is in flight (one connection, a quiet endpoint) the query goes out at once, so that the
 * database works on it while the request's body is still being parsed; while one is in flight, the
 * lookups that arrive in the same turn of the event loop share one round trip, and the per-query
 * cost (a write syscall, the row description) is paid by the batch instead of by each request.
 */
export class TokenLookups {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;

  constructor(private readonly db: Db) {}

  find(hash: string): Promise<ActiveAccessToken | undefined> {
    return new Promise((resolve, reject) => {
      if (this.inFlight === 0 && !this.scheduled) {
        void this.run([{ hash, resolve, reject }]);
        return;
      }
      this.queue.push({ hash, resolve, reject });
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

  private async run(batch: Waiting[]): Promise<void> {
    this.inFlight++;
    try {
      const found = await findActiveAccessTokens(this.db, [...new Set(batch.map((waiting) => waiting.hash))]);
      for (const waiting of batch) {
        const row = found.get(waiting.hash);
        waiting.resolve(row && withEffectiveScopes(row));
      }
    } catch (error) {
      for (const waiting of batch) waiting.reject(error);
    } finally {
      this.inFlight--;
    }
  }
}
