// Two replicas of the OpenAPI service sharing one store, Redis (a real redis-server) or the PostgreSQL
// counters: a per-operation limit holds across both, not twice.
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { newApiKey } from '@enginy/security/credentials';
import { testConfig } from '@enginy/testing/config';
import { type RedisServer, startRedisServer } from '@enginy/testing/redis-server';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

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

async function key(scopes: string[]): Promise<string> {
  const config = testConfig(t.url);
  return (
    await issueApiKey(t.db, config.tokenHashKey, { key: newApiKey(), workspaceId: SEED_IDS.acme, name: 'test', scopes })
  ).key;
}

describe.each([
  ['Redis', () => ({ REDIS_URL: redis.url })],
  ['PostgreSQL', () => ({ RATE_LIMIT_STORE: 'postgres' })],
])('per-key, per-operation limits across replicas on %s', (_store, env) => {
  it('60 GET /v1/sender-identities a minute per key across both replicas, then 429 on either', async () => {
    const config = testConfig(t.url, env());
    const replicas = await Promise.all([buildApp(config, { db: t.db }), buildApp(config, { db: t.db })]);
    apps.push(...replicas);
    const apiKey = await key(['IDENTITIES_READ', 'OWNERS_READ']);
    const call = (i: number, url = '/v1/sender-identities') =>
      (replicas[i % 2] as FastifyInstance).inject({ method: 'GET', url, headers: { 'x-api-key': apiKey } });
    const answers = [];
    for (let i = 0; i < 60; i++) answers.push(await call(i));
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(60).fill(200));
    // The count is shared: the replicas' X-RateLimit-Remaining interleave down to 0.
    expect(answers.slice(0, 4).map((answer) => answer.headers['x-ratelimit-remaining'])).toEqual([
      '59',
      '58',
      '57',
      '56',
    ]);
    for (const i of [0, 1]) {
      const limited = await call(i);
      expect(limited.statusCode).toBe(429);
      expect(limited.json()).toMatchObject({ status: 'error', code: 'rate_limited' });
    }
    // Another operation of the same key has its own allowance.
    expect((await call(0, '/v1/tasks/owners')).statusCode).toBe(200);
  });
});
