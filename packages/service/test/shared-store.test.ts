// The Redis connection behind shared rate limits, against a real redis-server: while Redis is away a
// command fails at once (a request never waits on it), the outage and the recovery are logged once
// each, and the connection comes back by itself.
import { Writable } from 'node:stream';
import { loadConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { type RedisServer, startRedisServer } from '@enginy/testing/redis-server';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSharedStore } from '../src/shared-store.ts';

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
});
// The Redis store never touches the database: a pool that is never used.
const unusedDb = createDb('postgres://unused@127.0.0.1:9/unused');
afterAll(async () => {
  await redis.stop();
  await unusedDb.destroy();
});

function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, log: Fastify({ logger: { level: 'info', stream } }).log };
}

const until = async (condition: () => boolean, timeoutMs = 10_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe('the shared store on Redis', () => {
  it('memory when nothing is configured: no connection, the plugin keeps its own store', async () => {
    const store = await openSharedStore(loadConfig({}), { service: 'auth', db: unusedDb, log: capturedLog().log });
    expect(store).toMatchObject({ kind: 'memory', redis: undefined, rateLimit: {} });
  });

  it('Redis killed: commands fail at once, one warning; Redis back: reconnected by itself, one info line', async () => {
    const { lines, log } = capturedLog();
    const store = await openSharedStore(loadConfig({ REDIS_URL: redis.url }), { service: 'auth', db: unusedDb, log });
    try {
      expect(store.rateLimit).toMatchObject({ skipOnError: true, nameSpace: 'enginy:auth:rate-limit:' });
      expect(await store.redis?.ping()).toBe('PONG');

      await redis.kill();
      await until(() => store.redis?.status !== 'ready');
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        await expect(store.redis?.incr('k')).rejects.toThrow();
        expect(performance.now() - started).toBeLessThan(100);
      }
      await new Promise((resolve) => setTimeout(resolve, 500)); // reconnection attempts fail meanwhile
      expect(lines.filter((line) => line.level === 40).map((line) => line.msg)).toEqual([
        'shared store (Redis) unreachable: rate limits are not enforced until it is back',
      ]);

      await redis.start();
      await until(() => store.redis?.status === 'ready');
      expect(await store.redis?.incr('k')).toBe(1);
      expect(lines.filter((line) => line.level === 30).map((line) => line.msg)).toEqual([
        'shared store (Redis) reachable again: rate limits are enforced',
      ]);
    } finally {
      await store.close();
    }
  });
});
