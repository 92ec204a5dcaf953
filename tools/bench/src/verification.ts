import type { StackConfig } from '@enginy/config/load';
import { ChangeFeed, TOKEN_VALIDITY_CHANNEL } from '@enginy/db/change-feed';
import { createDb } from '@enginy/db/client';
import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { hashSecret } from '@enginy/security/tokens';

export interface VerificationTiming {
  samples: number;
  hashP50Ms: number;
  lookupP50Ms: number;
  lookupP99Ms: number;
  /** A remembered token's check: the keyed hash, then the fence on the token-validity feed. */
  fenceP50Ms: number;
  fenceP99Ms: number;
}

const WARM_UP = 300;
const SAMPLES = 2_000;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * What bearer verification costs the MCP endpoint, isolated: the very functions its bearer check
 * runs, called one at a time with a live token, as at one connection. A token's first use: the keyed
 * hash of the token, then the live-token lookup with grant and workspace policy (one round trip to
 * the real PostgreSQL). A remembered token's: the keyed hash, then the fence on the token-validity
 * feed (a round trip on its LISTEN connection; see apps/openapi/src/mcp/token-lookups.ts). The rest
 * of the check is string comparisons and a map lookup.
 */
export async function timeTokenVerification(
  databaseUrl: string,
  config: StackConfig,
  token: string,
): Promise<VerificationTiming> {
  const db = createDb(databaseUrl, { max: 2 });
  const feed = new ChangeFeed(databaseUrl, TOKEN_VALIDITY_CHANNEL);
  try {
    const hashes: number[] = [];
    const lookups: number[] = [];
    const fences: number[] = [];
    await feed.start();
    if (!feed.ready) throw new Error('the token-validity feed could not LISTEN');
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      const t0 = performance.now();
      const hash = hashSecret(config.tokenHashKey, token);
      const t1 = performance.now();
      const found = await findActiveAccessToken(db, hash);
      const t2 = performance.now();
      if (found === undefined) throw new Error('the benchmark token is not live');
      const t3 = performance.now();
      hashSecret(config.tokenHashKey, token);
      await feed.fence();
      const t4 = performance.now();
      if (i >= WARM_UP) {
        hashes.push(t1 - t0);
        lookups.push(t2 - t0);
        fences.push(t4 - t3);
      }
    }
    hashes.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    fences.sort((a, b) => a - b);
    return {
      samples: SAMPLES,
      hashP50Ms: percentile(hashes, 0.5),
      lookupP50Ms: percentile(lookups, 0.5),
      lookupP99Ms: percentile(lookups, 0.99),
      fenceP50Ms: percentile(fences, 0.5),
      fenceP99Ms: percentile(fences, 0.99),
    };
  } finally {
    await feed.close();
    await db.destroy();
  }
}
