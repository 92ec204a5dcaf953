import { deleteClient } from '@enginy/db/queries/oauth-clients';
import { READ_SCOPES } from '@enginy/policy/scopes';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
const config = () => testConfig(t.url);
const oauth = () => oauthClient(injectTransport(app), config());

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(config(), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

describe('dynamic client registration (RFC 7591)', () => {
  it('accepts what Claude Code sends (no application_type: loopback means native)', async () => {
    const client = await oauth().register();
    expect(client).toMatchObject({
      redirect_uris: [REDIRECT_URI],
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
    });
    expect(client).not.toHaveProperty('client_secret');
  });

  it('accepts what mcp-remote sends', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/register',
      payload: {
        redirect_uris: ['http://localhost:3118/oauth/callback'],
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        client_name: 'MCP CLI Proxy',
        client_uri: 'https://github.com/modelcontextprotocol/mcp-cli',
      },
    });
    expect(response.statusCode).toBe(201);
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('an identical re-registration returns the existing client instead of piling up', async () => {
    const first = await oauth().register({ client_name: 'Repeat' });
    const second = await oauth().register({ client_name: 'Repeat' });
    expect(second.client_id).toBe(first.client_id);
    const count = await t.db
      .selectFrom('oauth_clients')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('name', '=', 'Repeat')
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(1);
  });

  it('a confidential registration gets a secret, stored only hashed', async () => {
    const client = await oauth().register({
      token_endpoint_auth_method: 'client_secret_post',
      client_name: 'Confidential',
    });
    expect(client.client_secret).toMatch(/^ecs_/);
    const row = await t.db
      .selectFrom('oauth_clients')
      .select('secret_hash')
      .where('id', '=', client.client_id)
      .executeTakeFirstOrThrow();
    expect(row.secret_hash).not.toContain(client.client_secret);
  });

  it.each([
    ['no redirect URIs', { redirect_uris: [] }, 'invalid_redirect_uri'],
    ['plain http to a remote host', { redirect_uris: ['http://evil.example/cb'] }, 'invalid_redirect_uri'],
    ['a fragment', { redirect_uris: ['http://localhost:3118/cb#x'] }, 'invalid_redirect_uri'],
    ['the implicit grant', { grant_types: ['implicit'] }, 'invalid_client_metadata'],
    ['an unknown auth method', { token_endpoint_auth_method: 'private_key_jwt' }, 'invalid_client_metadata'],
    ['redirect_uris not an array', { redirect_uris: 'http://localhost:3118/callback' }, 'invalid_client_metadata'],
  ])('refuses %s with a 400 JSON error', async (_rule, body, error) => {
    const response = await app.inject({
      method: 'POST',
      url: '/register',
      payload: { redirect_uris: [REDIRECT_URI], ...body },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe(error);
  });

  it('a deleted client gets 401 invalid_client at /token', async () => {
    const client = await oauth().register({ client_name: 'Soon deleted' });
    await deleteClient(t.db, client.client_id);
    const response = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: 'ert_x',
      client_id: client.client_id,
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
  });
});

describe('metadata and CORS', () => {
  it('serves the metadata with the exact issuer and CORS *, preflight included', async () => {
    const response = await app.inject('/.well-known/oauth-authorization-server');
    expect(response.json()).toMatchObject({
      issuer: config().auth.issuer,
      token_endpoint: `${config().auth.issuer}/token`,
      revocation_endpoint: `${config().auth.issuer}/revoke`,
    });
    expect(response.json().scopes_supported).not.toContain('offline_access');
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/token',
      headers: { origin: 'https://claude.ai', 'access-control-request-method': 'POST' },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
  });

  // Gemini CLI 0.61 asks for the authorization server metadata's whole scopes_supported: listing every
  // Enginy scope made it ask for WRITE scopes the seeded read-only policy refuses.
  it('lists only the scopes the enabled policies grant, the same list as the resource metadata', async () => {
    expect((await app.inject('/.well-known/oauth-authorization-server')).json().scopes_supported).toEqual(
      [...READ_SCOPES].sort(),
    );
    expect((await app.inject('/.well-known/openid-configuration')).json().scopes_supported).toEqual(
      [...READ_SCOPES].sort(),
    );
  });

  it('never sends CORS headers on /authorize or the session API', async () => {
    for (const url of ['/authorize?client_id=x', '/session']) {
      const response = await app.inject({ method: 'GET', url, headers: { origin: 'https://evil.example' } });
      expect(response.headers['access-control-allow-origin']).toBeUndefined();
    }
  });
});

describe('sign-in', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and refuses a wrong password or another origin', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: '/session',
      headers: { origin: config().web.url },
      payload: { email: 'DEV@enginy.local', password: 'enginy-dev' },
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['set-cookie']?.[0]).toMatch(
      /enginy_session=ess_[^;]+; Max-Age=43200; Path=\/api\/auth; HttpOnly; SameSite=Lax/,
    );
    const wrong = await app.inject({
      method: 'POST',
      url: '/session',
      headers: { origin: config().web.url },
      payload: { email: 'dev@enginy.local', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error_description).toBe('Wrong email or password');
    const crossSite = await app.inject({
      method: 'POST',
      url: '/session',
      headers: { origin: 'https://evil.example' },
      payload: { email: 'dev@enginy.local', password: 'enginy-dev' },
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('slows an address after 10 wrong guesses (any account), instead of locking the account out', async () => {
    const attempt = (email: string) =>
      app.inject({
        method: 'POST',
        url: '/session',
        remoteAddress: '127.0.0.77',
        headers: { origin: config().web.url },
        payload: { email, password: 'wrong-password' },
      });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt('x@enginy.local')).statusCode);
    expect(statuses.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    const limited = await attempt('y@enginy.local');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error).toBe('too_many_requests');
    // The account itself is not locked: another address is let in (see sign-in-backoff.test.ts).
    const other = await app.inject({
      method: 'POST',
      url: '/session',
      remoteAddress: '127.0.0.78',
      headers: { origin: config().web.url },
      payload: { email: 'x@enginy.local', password: 'wrong-password' },
    });
    expect(other.statusCode).toBe(401);
  });
});
