import type { RateLimitStore, StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { incrementCounter, purgeEndedCounters } from '@enginy/db/queries/rate-limit-counters';
import type { FastifyRateLimitStore, FastifyRateLimitStoreCtor, RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';

/**
 * The state a service's replicas must agree on (rate-limit counters, the sign-in backoff), on the
 * store the configuration names (RATE_LIMIT_STORE / REDIS_URL). With `memory`, the default, nothing
 * is opened and every limit is per process, as a single `pnpm dev` has always had it.
 */
export interface SharedStore {
  kind: RateLimitStore;
  /** The Valkey/Redis connection every replica shares (kind `redis`). */
  redis: Redis | undefined;
  /** Spread into @fastify/rate-limit's options. */
  rateLimit: Pick<RateLimitPluginOptions, 'redis' | 'store' | 'nameSpace' | 'skipOnError'>;
  close(): Promise<void>;
}

export interface SharedStoreOptions {
  /** Prefixes every key, so the two services' counters never meet. */
  service: string;
  db: Db;
  log: FastifyBaseLogger;
}

// Ended windows in the PostgreSQL store are deleted this often (a lookup never needs them gone).
const PURGE_EVERY_MS = 60_000;

export async function openSharedStore(config: StackConfig, options: SharedStoreOptions): Promise<SharedStore> {
  const { store, redisUrl } = config.rateLimits;
  // A store that is down lets requests through, logged (skipOnError): the limits are there against
  // abuse, and an outage of the counters must not take /token, sign-in and the API down with it. The
  // sign-in backoff falls back to this process's own counters instead (shared-sign-in-backoff.ts).
  const failOpen = { skipOnError: true };
  if (store === 'redis' && redisUrl !== undefined) {
    const redis = await connectRedis(redisUrl, options.log);
    return {
      kind: store,
      redis,
      rateLimit: { ...failOpen, redis, nameSpace: `enginy:${options.service}:rate-limit:` },
      close: async () => {
        redis.disconnect();
      },
    };
  }
  if (store === 'postgres') {
    const purge = setInterval(() => {
      purgeEndedCounters(options.db).catch((error: unknown) =>
        options.log.warn({ err: error }, 'rate limits: could not purge ended windows'),
      );
    }, PURGE_EVERY_MS);
    purge.unref();
    return {
      kind: store,
      redis: undefined,
      rateLimit: { ...failOpen, store: postgresStore(options.db, `${options.service}:`) },
      close: async () => clearInterval(purge),
    };
  }
  return { kind: 'memory', redis: undefined, rateLimit: {}, close: async () => {} };
}

/**
 * A connection that fails fast while the server is away (no offline queue, one attempt per
 * command, short timeouts), so a request never waits on it; it reconnects in the background, and
 * the outage and the recovery are logged once each.
 */
async function connectRedis(url: string, log: FastifyBaseLogger): Promise<Redis> {
  // Loaded only here: a service on the memory or postgres store (every test stack, `pnpm dev`) would
  // otherwise spend about 0.3 s of CPU at each start evaluating ioredis for nothing.
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1_000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2_000),
  });
  let up = true;
  redis.on('error', (error: Error) => {
    if (!up) return;
    up = false;
    log.warn({ err: error }, 'shared store (Redis) unreachable: rate limits are not enforced until it is back');
  });
  redis.on('ready', () => {
    if (up) return;
    up = true;
    log.info('shared store (Redis) reachable again: rate limits are enforced');
  });
  // A replica waits for its first connection (a second at most), then starts even without one and
  // serves, unlimited and logged, while Redis comes up.
  await redis.connect().catch(() => {});
  return redis;
}

/** @fastify/rate-limit's store on the `rate_limit_counters` table; one key per route like its Redis store. */
function postgresStore(db: Db, prefix: string): FastifyRateLimitStoreCtor {
  class PostgresStore implements FastifyRateLimitStore {
    constructor(
      _options: unknown,
      private readonly keyPrefix = prefix,
    ) {}

    incr(
      key: string,
      callback: (error: Error | null, result?: { current: number; ttl: number }) => void,
      timeWindow: number,
    ) {
      incrementCounter(db, this.keyPrefix + key, timeWindow).then(
        (hit) => callback(null, { current: hit.count, ttl: hit.ttlMs }),
        (error: Error) => callback(error),
      );
    }

    // The plugin hands a route's merged options with the route itself under `routeInfo` (as its Redis store reads it).
    child(routeOptions: Parameters<FastifyRateLimitStore['child']>[0]): FastifyRateLimitStore {
      const { routeInfo } = routeOptions as unknown as { routeInfo: { method?: unknown; url?: string } };
      return new PostgresStore(routeOptions, `${this.keyPrefix}${String(routeInfo.method)}${routeInfo.url ?? ''}-`);
    }
  }
  return PostgresStore;
}
