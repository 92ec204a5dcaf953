// GET /authorize stores a pending request for each call, so it is limited per caller address:
// 120 a minute unless AUTHORIZE_RATE_LIMIT_PER_MINUTE says otherwise.
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url, { AUTHORIZE_RATE_LIMIT_PER_MINUTE: '3' }), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const authorize = (caller: string) =>
  app.inject({ method: 'GET', url: '/authorize?client_id=nobody', headers: { 'x-forwarded-for': caller } });

describe('/authorize rate limit', () => {
  it('AUTHORIZE_RATE_LIMIT_PER_MINUTE sets the limit per caller address', async () => {
    for (let i = 0; i < 3; i++) expect((await authorize('127.0.0.21')).statusCode).not.toBe(429);
    const limited = await authorize('127.0.0.21');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await authorize('127.0.0.22')).statusCode).not.toBe(429);
  });
});
