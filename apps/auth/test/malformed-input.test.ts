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

// The OAuth endpoints' parameters are checked by their TypeBox schemas (oauth/oauth-parameters.ts) and
// still answered with the RFC's code and words: RFC 6749 §3.1/§3.2 "MUST NOT be included more than
// once", §5.2 invalid_request; the first offending parameter as sent is named.
describe('a repeated parameter, or a body that is no form', () => {
  const json = { 'content-type': 'application/json' };
  const noForm = 'The body must be application/x-www-form-urlencoded';
  it.each([
    ['POST', '/token', form, 'grant_type=a&grant_type=b', 400, 'invalid_request', 'grant_type is repeated'],
    ['POST', '/token', form, 'code=1&scope=a&code=2&scope=b', 400, 'invalid_request', 'code is repeated'],
    ['POST', '/token', json, '{"grant_type":"authorization_code"}', 400, 'invalid_request', noForm],
    ['POST', '/token', {}, undefined, 400, 'invalid_request', noForm],
    ['POST', '/revoke', form, 'token=a&token=b', 400, 'invalid_request', 'token is repeated'],
    ['POST', '/revoke', json, '{"token":"a"}', 400, 'invalid_request', noForm],
    ['GET', '/authorize?client_id=x&state=a&state=b', {}, undefined, 400, 'invalid_request', 'state is repeated'],
    ['GET', '/authorize?a%2Fb~c=1&a%2Fb~c=2', {}, undefined, 400, 'invalid_request', 'a/b~c is repeated'],
    ['POST', '/register', json, '[]', 400, 'invalid_redirect_uri', 'redirect_uris must list at least one URI'],
    ['POST', '/register', json, 'null', 400, 'invalid_redirect_uri', 'redirect_uris must list at least one URI'],
    ['POST', '/register', json, '"text"', 400, 'invalid_redirect_uri', 'redirect_uris must list at least one URI'],
  ] as const)('%s %s (%j) %s → %i %s: %s', async (method, url, headers, payload, status, error, description) => {
    const response = await app.inject({ method, url, headers: { ...headers, accept: 'application/json' }, payload });
    expect([response.statusCode, response.json()]).toEqual([status, { error, error_description: description }]);
    // RFC 6749 §5.1 / RFC 7009: no caching, errors included; the authorization endpoint's page is never framed.
    if (url === '/token')
      expect([response.headers['cache-control'], response.headers.pragma]).toEqual(['no-store', 'no-cache']);
    if (url === '/revoke') expect(response.headers['cache-control']).toBe('no-store');
    if (url.startsWith('/authorize')) expect(response.headers['x-frame-options']).toBe('DENY');
  });
});
