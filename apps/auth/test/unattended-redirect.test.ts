import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { newClientCredentials } from '@enginy/security/credentials';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

// RFC 9700 §4.18: an error found before the user has done anything is sent back to the redirect URI
// only when that URI is trusted; otherwise the authorization server shows it.
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

async function failingAuthorize(clientId: string, redirectUri: string) {
  const query = new URLSearchParams(oauth().authorizeQuery({ clientId, redirectUri, challenge: pkcePair().challenge }));
  query.set('code_challenge_method', 'plain');
  return app.inject({ method: 'GET', url: `/authorize?${query}` });
}

describe('an error before any user interaction', () => {
  it('is shown, not redirected, for a dynamically registered https redirect URI (a possible phishing page)', async () => {
    const { client_id } = await oauth().register({ redirect_uris: ['https://phish.example/login'] });
    const response = await failingAuthorize(client_id, 'https://phish.example/login');
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'code_challenge_method must be S256',
    });
  });

  it.each([
    ['a loopback URI (native app)', 'http://localhost:3118/callback'],
    ['a private-use scheme (native app)', 'com.example.app:/oauth/callback'],
  ])('is redirected for %s', async (_name, redirectUri) => {
    const { client_id } = await oauth().register({ redirect_uris: [redirectUri] });
    const response = await failingAuthorize(client_id, redirectUri);
    expect(response.statusCode).toBe(302);
    expect(new URL(response.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  // Any admin of any workspace can pre-register a client with an https URI: that vouches for nothing,
  // so an unauthenticated request that fails at once must not bounce the browser there with the
  // attacker's text in `state` (an open redirect).
  it('is shown, not redirected, for an https URI of a pre-registered client', async () => {
    const { clientId } = await createPreregisteredClient(t.db, config().tokenHashKey, {
      ...newClientCredentials(),
      name: 'Landing page',
      redirectUris: ['https://evil.example/landing'],
    });
    const query = new URLSearchParams(
      oauth().authorizeQuery({
        clientId,
        redirectUri: 'https://evil.example/landing',
        challenge: pkcePair().challenge,
      }),
    );
    query.set('response_type', 'x');
    query.set('state', 'URGENT: security notice - reauthorize at https://evil.example/fix');
    const response = await app.inject({ method: 'GET', url: `/authorize?${query}` });
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.json()).toMatchObject({ error: 'unsupported_response_type' });
  });
});
