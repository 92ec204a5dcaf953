import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

// The router refuses these before any route runs; the answer must still be OAuth-style JSON.
let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

describe('a path the router cannot decode', () => {
  it.each(['/consent/%ED%A0%80', '/consent/%C0%AF', '/consent/%E2%82'])('%s is a 400 invalid_request in JSON', async (url) => {
    const response = await app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'invalid_request', error_description: expect.stringContaining('is not a valid url component') });
  });
});
