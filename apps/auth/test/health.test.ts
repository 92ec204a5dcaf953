import { createDb } from '@enginy/db/client';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('auth health', () => {
  it('answers liveness without touching the database', async () => {
    const app = await buildApp(testConfig(t.url), { db: createDb('postgres://nobody:x@127.0.0.1:1/none') });
    const response = await app.inject('/healthz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', service: 'auth' });
    await app.close();
  });

  it('is ready when the database answers', async () => {
    const app = await buildApp(testConfig(t.url), { db: t.db });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: 'ready', checks: { database: 'ok' } });
    await app.close();
  });

  it('is not ready (503) when the database is unreachable', async () => {
    const db = createDb('postgres://nobody:x@127.0.0.1:1/none');
    const app = await buildApp(testConfig(t.url), { db });
    const response = await app.inject('/readyz');
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable', checks: { database: 'unreachable' } });
    await app.close();
    await db.destroy();
  });

  it('answers an unknown path with JSON, not a framework page', async () => {
    const app = await buildApp(testConfig(t.url), { db: t.db });
    const response = await app.inject({ method: 'POST', url: '/no-such-route' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/json');
    await app.close();
  });
});
