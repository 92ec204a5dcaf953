import { BatchedReads } from '@enginy/db/batched-reads';
import type { FencedChannel } from '@enginy/db/change-feed';
import type { Db } from '@enginy/db/client';
import { type ActiveAccessTokenRow, findAccessTokens } from '@enginy/db/queries/oauth-tokens';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';

/**
 * An access token with what its grant may do today: the policy in force applied to the stored row.
 * `member` false: live but for its user's removal from the workspace (the bearer check refuses it).
 */
export type ActiveAccessToken = ActiveAccessTokenRow & { effectiveScopes: string[] };

/** The most verified tokens remembered (those of earlier epochs included); past it the memory starts again empty. */
const MAX_VERIFIED = 10_000;

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
 * Lookups that do go to the database share round trips with the lookups that arrive with them
 * (BatchedReads).
 */
export class TokenLookups {
  private readonly reads: BatchedReads<string, ActiveAccessToken>;
  private readonly verified = new Map<string, { token: ActiveAccessToken; epoch: number }>();

  constructor(
    db: Db,
    private readonly feed?: FencedChannel,
  ) {
    this.reads = new BatchedReads(async (hashes) => {
      const found = await findAccessTokens(db, hashes);
      return new Map([...found].map(([hash, row]) => [hash, withEffectiveScopes(row)]));
    });
  }

  async find(hash: string): Promise<ActiveAccessToken | undefined> {
    const feed = this.feed;
    if (feed === undefined) return this.reads.read(hash);
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
    const token = await this.reads.read(hash);
    if (token !== undefined) {
      if (this.verified.size >= MAX_VERIFIED) this.verified.clear();
      this.verified.set(hash, { token, epoch });
    }
    return token;
  }
}
