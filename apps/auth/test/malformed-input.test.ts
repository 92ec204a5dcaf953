import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

// Input no route can take: a path the router cannot decode (refused before any route runs, still
// in OAuth-style JSON), and a NUL character, which PostgreSQL text cannot hold (the hardening
// suite's fast-check found `client_id=%00` answering 500).
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
  it.each(['/consent/%ED%A0%80', '/consent/%C0%AF', '/consent/%E2%82'])(
    '%s is a 400 invalid_request in JSON',
    async (url) => {
      const response = await app.inject(url);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: 'invalid_request',
        error_description: expect.stringContaining('is not a valid url component'),
      });
    },
  );
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('a NUL (%00) character in a parameter', () => {
  it.each([
    'client_id=%00',
    'client_id=abc%00def',
    'client_id=x&state=%00',
    'redirect_uri=http%3A%2F%2Flocalhost%3A3118%2Fcallback%00',
  ])('GET /authorize?%s is a 400 error page naming the parameter, and nothing is recorded', async (query) => {
    const before = await t.db.selectFrom('auth_events').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    const response = await app.inject({ url: `/authorize?${query}`, headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatch(/(client_id|state|redirect_uri) contains a NUL \(%00\) character/);
    const after = await t.db.selectFrom('auth_events').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('POST /token, /revoke and /register answer 400 invalid_request (or the OAuth error they owe), never 500', async () => {
    const token = await app.inject({
      method: 'POST',
      url: '/token',
      headers: form,
      payload: 'grant_type=authorization_code&code=abc&client_id=%00&code_verifier=x',
    });
    expect(token.statusCode).toBeGreaterThanOrEqual(400);
    expect(token.statusCode).toBeLessThan(500);
    expect(token.json().error).toMatch(/^invalid_(request|client|grant)$/);

    const revoke = await app.inject({
      method: 'POST',
      url: '/revoke',
      headers: form,
      payload: 'token=%00&client_id=%00',
    });
    expect(revoke.statusCode).toBeLessThan(500);

    const register = await app.inject({
      method: 'POST',
      url: '/register',
      payload: { redirect_uris: ['http://localhost:3118/callback'], client_name: 'Claude\u0000Code' },
    });
    expect(register.statusCode).toBe(400);
    expect(register.json()).toEqual({
      error: expect.stringMatching(/^invalid_(request|client_metadata)$/),
      error_description: expect.stringContaining('NUL'),
    });
  });
});
