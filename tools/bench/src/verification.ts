import type { StackConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { hashSecret } from '@enginy/security/tokens';

export interface VerificationTiming {
  samples: number;
  hashP50Ms: number;
  lookupP50Ms: number;
  lookupP99Ms: number;
}

const WARM_UP = 300;
const SAMPLES = 2_000;

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/**
 * What bearer verification costs the MCP endpoint, isolated: the very functions its bearer check
 * runs (the keyed hash of the token, then the live-token lookup with grant and workspace policy,
 * one round trip to the real PostgreSQL), called one at a time with a live token, as at one
 * connection. The rest of the check is string comparisons.
 */
export async function timeTokenVerification(
  databaseUrl: string,
  config: StackConfig,
  token: string,
): Promise<VerificationTiming> {
  const db = createDb(databaseUrl, { max: 2 });
  try {
    const hashes: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < WARM_UP + SAMPLES; i++) {
      const t0 = performance.now();
      const hash = hashSecret(config.tokenHashKey, token);
      const t1 = performance.now();
      const found = await findActiveAccessToken(db, hash);
      const t2 = performance.now();
      if (found === undefined) throw new Error('the benchmark token is not live');
      if (i >= WARM_UP) {
        hashes.push(t1 - t0);
        lookups.push(t2 - t0);
      }
    }
    hashes.sort((a, b) => a - b);
    lookups.sort((a, b) => a - b);
    return {
      samples: SAMPLES,
      hashP50Ms: percentile(hashes, 0.5),
      lookupP50Ms: percentile(lookups, 0.5),
      lookupP99Ms: percentile(lookups, 0.99),
    };
  } finally {
    await db.destroy();
  }
}
