// Two replicas of the auth service sharing one Redis (a real redis-server, RATE_LIMIT_STORE=redis):
// each documented limit holds across both, not twice; and what happens while Redis is down.
import { MEMBER } from '@enginy/testing/oauth-client';
import { testConfig } from '@enginy/testing/config';
import { type RedisServer, startRedisServer } from '@enginy/testing/redis-server';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

const TOKEN_LIMIT = 5;
let t: TestDatabase;
let redis: RedisServer;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  [t, redis] = await Promise.all([createTestDatabase(), startRedisServer()]);
});
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await redis.stop();
  await t.drop();
});

/** Two replicas of the service on one database, with the given store settings. */
async function replicas(env: Record<string, string>): Promise<[FastifyInstance, FastifyInstance]> {
  const config = testConfig(t.url, { TOKEN_RATE_LIMIT_PER_MINUTE: String(TOKEN_LIMIT), ...env });
  const built = await Promise.all([buildApp(config, { db: t.db }), buildApp(config, { db: t.db })]);
  apps.push(...built);
  return built;
}
const shared = () => replicas({ REDIS_URL: redis.url });

// Every request comes from loopback (a trusted proxy) on behalf of `caller`: one limit bucket each.
const token = (app: FastifyInstance, caller: string) =>
  app.inject({ method: 'POST', url: '/token', headers: { 'x-forwarded-for': caller }, payload: {} });
const register = (app: FastifyInstance, caller: string) =>
  app.inject({ method: 'POST', url: '/register', headers: { 'x-forwarded-for': caller }, payload: {} });
const signIn = (app: FastifyInstance, caller: string, password: string) =>
  app.inject({
    method: 'POST',
    url: '/session',
    headers: { origin: testConfig(t.url).web.url, 'x-forwarded-for': caller },
    payload: { email: MEMBER.email, password },
  });

/** `count` requests spread over the replicas in turn; their status codes. */
async function alternate(
  pair: FastifyInstance[],
  count: number,
  send: (app: FastifyInstance, i: number) => Promise<{ statusCode: number }>,
): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < count; i++) codes.push((await send(pair[i % pair.length] as FastifyInstance, i)).statusCode);
  return codes;
}

describe('limits shared by two replicas through Redis', () => {
  it(`/token: ${TOKEN_LIMIT} requests a minute per caller across both replicas, then 429 on either`, async () => {
    const [a, b] = await shared();
    const codes = await alternate([a, b], TOKEN_LIMIT, (app) => token(app, '198.51.100.1'));
    expect(codes).toEqual(Array(TOKEN_LIMIT).fill(400));
    for (const app of [a, b]) {
      const limited = await token(app, '198.51.100.1');
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json().error).toBe('too_many_requests');
    }
    // Another caller has its own allowance.
    expect((await token(b, '198.51.100.2')).statusCode).toBe(400);
  });

  it(`/token on the PostgreSQL counters (RATE_LIMIT_STORE=postgres): the same ${TOKEN_LIMIT} across both`, async () => {
    const [a, b] = await replicas({ RATE_LIMIT_STORE: 'postgres' });
    const codes = await alternate([a, b], TOKEN_LIMIT, (app) => token(app, '198.51.100.10'));
    expect(codes).toEqual(Array(TOKEN_LIMIT).fill(400));
    expect((await token(b, '198.51.100.10')).statusCode).toBe(429);
  });

  it('without a shared store, each replica counts alone: twice the limit gets through (what Redis fixes)', async () => {
    const [a, b] = await replicas({});
    const codes = await alternate([a, b], 2 * TOKEN_LIMIT, (app) => token(app, '198.51.100.3'));
    expect(codes).toEqual(Array(2 * TOKEN_LIMIT).fill(400));
    expect((await token(a, '198.51.100.3')).statusCode).toBe(429);
  });

  it('/register: 60 a minute per caller across both replicas', async () => {
    const [a, b] = await shared();
    const codes = await alternate([a, b], 60, (app) => register(app, '198.51.100.4'));
    expect(codes.filter((code) => code === 429)).toEqual([]);
    expect((await register(a, '198.51.100.4')).statusCode).toBe(429);
    expect((await register(b, '198.51.100.4')).statusCode).toBe(429);
  });

  it('sign-in backoff: 10 wrong guesses spread over both replicas slow the guesser on both, not after 20', async () => {
    const [a, b] = await shared();
    const codes = await alternate([a, b], 10, (app, i) => signIn(app, '198.51.100.5', `wrong-${i}`));
    expect(codes).toEqual(Array(10).fill(401));
    for (const app of [a, b]) {
      const slowed = await signIn(app, '198.51.100.5', MEMBER.password);
      expect(slowed.statusCode).toBe(429);
      expect(slowed.headers['retry-after']).toBe('1');
    }
    // The member's own browser, elsewhere, still signs in on either replica.
    expect((await signIn(b, '198.51.100.6', MEMBER.password)).statusCode).toBe(200);
  });

  it('Redis killed: /token still answers (fail open, no 5xx), sign-in is still slowed per replica; once Redis is back the shared limit holds again', async () => {
    const [a, b] = await shared();
    await redis.kill();
    try {
      // Past the limit on one replica: nothing is counted, nothing refused, nothing fails.
      const codes = await alternate([a], TOKEN_LIMIT + 3, (app) => token(app, '198.51.100.7'));
      expect(codes).toEqual(Array(TOKEN_LIMIT + 3).fill(400));
      // The backoff counts in each replica meanwhile: 10 wrong guesses on one replica slow the guesser there.
      expect(await alternate([a], 10, (app, i) => signIn(app, '198.51.100.8', `wrong-${i}`))).toEqual(
        Array(10).fill(401),
      );
      expect((await signIn(a, '198.51.100.8', MEMBER.password)).statusCode).toBe(429);
    } finally {
      await redis.start();
    }
    // The replicas reconnect by themselves (within 2 s): the first request that is counted again
    // shows 4 left of 5.
    const deadline = Date.now() + 10_000;
    let caller = 0;
    for (;;) {
      const answer = await token(b, `198.51.101.${++caller}`);
      if (answer.headers['x-ratelimit-remaining'] === String(TOKEN_LIMIT - 1)) break;
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const reconnectedA = async () => {
      for (;;) {
        const answer = await token(a, `198.51.102.${++caller}`);
        if (answer.headers['x-ratelimit-remaining'] === String(TOKEN_LIMIT - 1)) return;
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    await reconnectedA();
    const codes = await alternate([a, b], TOKEN_LIMIT, (app) => token(app, '198.51.100.9'));
    expect(codes).toEqual(Array(TOKEN_LIMIT).fill(400));
    expect((await token(a, '198.51.100.9')).statusCode).toBe(429);
  });
});
