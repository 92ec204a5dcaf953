import type { FencedChannel } from '@enginy/db/change-feed';
import type { Db } from '@enginy/db/client';
import { type ActiveAccessTokenRow, findAccessTokens } from '@enginy/db/queries/oauth-tokens';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';

/**
 * An access token with what its grant may do today: the policy in force applied to the stored row.
 * `member` false: live but for its user's removal from the workspace (the bearer check refuses it).
 */
export type ActiveAccessToken = ActiveAccessTokenRow & { effectiveScopes: string[] };

/** The most hashes one query carries; a burst larger than this is split over several queries. */
const MAX_BATCH = 128;
/** The most verified tokens remembered (those of earlier epochs included); past it the memory starts again empty. */
const MAX_VERIFIED = 10_000;

interface Waiting {
  hash: string;
  resolve(token: ActiveAccessToken | undefined): void;
  reject(error: unknown): void;
}

/**
 * Looks up access tokens by keyed hash, answering for the moment the request arrived: a revocation,
 * a narrowed policy, MCP switched off or the user removed from the workspace applies to the very next
 * call, on every replica.
 *
 * With a change feed (the database's token-validity notifications, see change-feed.ts) a token
 * verified once is remembered with the feed's epoch at the time it was read. A later request uses
 * it only after a fence, a trivial round trip on the feed's connection sent after the request
 * arrived, finds the epoch unchanged: every change committed before the request has been heard by
 * then. The fence is shared by the requests that arrive together and costs the database almost
 * nothing, where a lookup reads three tables. Without a feed (or while it reconnects) every lookup
 * reads the database.
 *
 * Lookups that do go to the database: when none is in flight (one connection, a quiet endpoint) the
 * query goes out at once, so that the database works on it while the request's body is still being
 * parsed; while one is in flight, the lookups that arrive in the same turn of the event loop share
 * one round trip, and the per-query cost (a write syscall, the row description) is paid by the
 * batch instead of by each request.
 */
export class TokenLookups {
  private queue: Waiting[] = [];
  private scheduled = false;
  private inFlight = 0;
  private readonly verified = new Map<string, { token: ActiveAccessToken; epoch: number }>();

  constructor(
    private readonly db: Db,
    private readonly feed?: FencedChannel,
  ) {}

  async find(hash: string): Promise<ActiveAccessToken | undefined> {
    const feed = this.feed;
    if (feed === undefined) return this.read(hash);
    // One rule: a remembered token is used only if a fence, sent after this request arrived, answers
    // with the epoch it was read in. One from an earlier epoch is not even fenced: it is read again.
    const remembered = this.verified.get(hash);
    if (remembered !== undefined && remembered.epoch === feed.epoch) {
      const epoch = await feed.fence().catch(() => undefined);
      // RFC 6750 §3.1 invalid_token: "The access token provided is expired, revoked, malformed, or invalid
      // for other reasons". The query checks expiry by the database's clock; a remembered token is
      // checked here, by this process's.
      if (epoch === remembered.epoch && remembered.token.expiresAt.getTime() > Date.now()) return remembered.token;
    }
    // The epoch before the read: a change the read may have missed moves it by the time its
    // notification arrives (a reconnection moves it too), and then no later fence matches.
    const epoch = feed.epoch;
    const token = await this.read(hash);
    if (token !== undefined) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(hash, { token, epoch });
    }
    return token;
  }

  private read(hash: string): Promise<ActiveAccessToken | undefined> {
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
      const found = await findAccessTokens(this.db, [...new Set(batch.map((waiting) => waiting.hash))]);
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
