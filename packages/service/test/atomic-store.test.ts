// The atomic store the sign-in backoff is written over: in this process and on a real redis-server,
// a read-decide-write step is never interleaved with another writer's, and what is written expires.
import { type RedisServer, startRedisServer } from '@enginy/testing/redis-server';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AtomicStore, memoryAtomicStore, redisAtomicStore } from '../src/atomic-store.ts';

let redis: RedisServer;
const connections: Redis[] = [];
beforeAll(async () => {
  redis = await startRedisServer();
});
afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await redis.stop();
});

/** Two stores as two replicas would hold them: their own connection each to the one Redis. */
async function redisReplicas(): Promise<[AtomicStore, AtomicStore]> {
  const [a, b] = [new Redis(redis.url), new Redis(redis.url)];
  connections.push(a, b);
  await a.flushall();
  return [redisAtomicStore(a), redisAtomicStore(b)];
}

/** Adds one to the counter at `key` and answers the count before. */
const increment = (store: AtomicStore, key: string) =>
  store.update([key], ([value]) => {
    const count = Number(value ?? 0);
    return { result: count, writes: [{ value: String(count + 1), ttlMs: 60_000 }] };
  });

describe.each([
  ['in this process', async (): Promise<[AtomicStore, AtomicStore]> => [memoryAtomicStore(), memoryAtomicStore()]],
  ['on Redis, shared by two replicas', redisReplicas],
])('atomic store %s', (where, replicas) => {
  it('200 increments at once, from both replicas: none is lost, each saw a different count', async () => {
    const [a, b] = await replicas();
    // In memory each replica has its own store; on Redis both count in the same place.
    const shared = where.startsWith('on Redis');
    const seen = await Promise.all(Array.from({ length: 200 }, (_, i) => increment(i % 2 ? a : b, 'hits')));
    if (shared) expect(new Set(seen).size).toBe(200);
    else expect(new Set(seen).size).toBe(100);
    const total = await a.update(['hits'], ([value]) => ({ result: Number(value) }));
    expect(total).toBe(shared ? 200 : 100);
  });

  it('writes several keys together, deletes with null, leaves with undefined', async () => {
    const [store] = await replicas();
    await store.update(['x', 'y', 'z'], () => ({
      result: undefined,
      writes: [
        { value: '1', ttlMs: 60_000 },
        { value: '2', ttlMs: 60_000 },
        { value: '3', ttlMs: 60_000 },
      ],
    }));
    await store.update(['x', 'y', 'z'], () => ({ result: undefined, writes: [null, undefined] }));
    expect(await store.update(['x', 'y', 'z'], (values) => ({ result: values }))).toEqual([undefined, '2', '3']);
  });
});

describe('expiry', () => {
  it('in this process, a value is gone once its time to live has passed on the clock given', async () => {
    let now = 0;
    const store = memoryAtomicStore(() => now);
    await store.update(['k'], () => ({ result: undefined, writes: [{ value: 'v', ttlMs: 1000 }] }));
    now = 999;
    expect(await store.update(['k'], ([value]) => ({ result: value }))).toBe('v');
    now = 1000;
    expect(await store.update(['k'], ([value]) => ({ result: value }))).toBeUndefined();
  });

  it('on Redis, a value is gone once its time to live has passed', async () => {
    const [store] = await redisReplicas();
    await store.update(['k'], () => ({ result: undefined, writes: [{ value: 'v', ttlMs: 50 }] }));
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(await store.update(['k'], ([value]) => ({ result: value }))).toBeUndefined();
  });

  it('in this process, memory is bounded: past maxKeys the oldest written key is dropped', async () => {
    const store = memoryAtomicStore(Date.now, 2);
    for (const key of ['a', 'b', 'c'])
      await store.update([key], () => ({ result: undefined, writes: [{ value: key, ttlMs: 60_000 }] }));
    expect(await store.update(['a', 'b', 'c'], (values) => ({ result: values }))).toEqual([undefined, 'b', 'c']);
  });
});
