// The rate-limit check alone, in this process: a Fastify route limited through @fastify/rate-limit on
// each store (as the services build it, packages/service/src/shared-store.ts), called with
// `inject` (no sockets, no load generator), so the spread between the rows is the store's round trip.
import { loadConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { openSharedStore } from '@enginy/service/shared-store';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';

export interface StoreOpFigures {
  store: string;
  /** Sequential checks: one in flight. */
  p50Us: number;
  p99Us: number;
  /** Checks a second with `concurrency` in flight. */
  concurrentRate: number;
}

export async function measureStoreOps(
  databaseUrl: string,
  redisUrl: string,
  options: { iterations: number; concurrency: number },
): Promise<StoreOpFigures[]> {
  const db = createDb(databaseUrl, { max: 10 });
  const figures: StoreOpFigures[] = [];
  try {
    for (const [store, env] of [
      ['memory', {}],
      ['redis', { REDIS_URL: redisUrl }],
      ['postgres', { RATE_LIMIT_STORE: 'postgres' }],
    ] as const) {
      const app = Fastify();
      const shared = await openSharedStore(loadConfig(env), { service: 'bench', db, log: app.log });
      try {
        await app.register(rateLimit, { ...shared.rateLimit, global: false });
        app.get('/limited', { config: { rateLimit: { max: 1e9, timeWindow: 60_000 } } }, async () => 'ok');
        await app.ready();
        const check = async () => {
          const answer = await app.inject({ method: 'GET', url: '/limited' });
          if (answer.statusCode !== 200 || answer.headers['x-ratelimit-remaining'] === '1000000000')
            throw new Error(`${store}: the check did not count (${answer.statusCode})`);
        };
        for (let i = 0; i < 200; i++) await check(); // warm-up
        const latencies: number[] = [];
        for (let i = 0; i < options.iterations; i++) {
          const started = performance.now();
          await check();
          latencies.push((performance.now() - started) * 1000);
        }
        latencies.sort((a, b) => a - b);
        const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
        let left = options.iterations;
        const started = performance.now();
        await Promise.all(
          Array.from({ length: options.concurrency }, async () => {
            while (left-- > 0) await check();
          }),
        );
        const concurrentRate = options.iterations / ((performance.now() - started) / 1000);
        figures.push({ store, p50Us: at(0.5), p99Us: at(0.99), concurrentRate });
      } finally {
        await app.close();
        await shared.close();
      }
    }
  } finally {
    await db.destroy();
  }
  return figures;
}
