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

describe('while the database cannot be reached', () => {
  it('a request that needs it is a 503 service_unavailable with Retry-After, not a 500', async () => {
    const db = createDb('postgres://nobody:x@127.0.0.1:1/none');
    const app = await buildApp(testConfig(t.url), { db });
    try {
      const rest = await app.inject({
        method: 'GET',
        url: '/v1/credits',
        headers: { 'x-api-key': `gsk_${'a'.repeat(43)}` },
      });
      expect(rest.statusCode).toBe(503);
      expect(rest.headers['retry-after']).toBe('5');
      expect(rest.json()).toEqual({
        status: 'error',
        code: 'service_unavailable',
        message: expect.stringContaining('database'),
      });
      const mcp = await app.inject({
        method: 'POST',
        url: '/mcp',
        headers: {
          authorization: 'Bearer eat_anything',
          accept: 'application/json, text/event-stream',
          'content-type': 'application/json',
        },
        payload: { jsonrpc: '2.0', id: 1, method: 'tools/list' },
      });
      expect(mcp.statusCode).toBe(503);
      expect(mcp.headers['retry-after']).toBe('5');
      expect(mcp.json()).toEqual({
        jsonrpc: '2.0',
        error: { code: -32000, message: expect.stringContaining('database') },
        id: null,
      });
    } finally {
      await app.close();
      await db.destroy();
    }
  });
});
