import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { isPublicAddress } from '../src/oauth/clients/address-policy.ts';

let t: TestDatabase;
let server: Server;
let base: string;
const documents: Record<string, unknown> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  server = createServer((request, response) => {
    const body = documents[request.url ?? ''];
    if (request.url === '/huge.json')
      return response.end(JSON.stringify({ client_id: 'x', padding: 'x'.repeat(10_000) }));
    response
      .writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' })
      .end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  documents['/good.json'] = {
    client_id: `${base}/good.json`,
    client_name: 'Claude Code',
    redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
  };
  documents['/mismatch.json'] = { client_id: `${base}/other.json`, redirect_uris: ['http://localhost/callback'] };
  documents['/secret.json'] = {
    client_id: `${base}/secret.json`,
    redirect_uris: ['http://localhost/callback'],
    token_endpoint_auth_method: 'client_secret_post',
  };
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

async function authorize(app: FastifyInstance, clientId: string, redirectUri: string) {
  return oauthClient(injectTransport(app), testConfig(t.url)).authorize({
    clientId,
    redirectUri,
    challenge: pkcePair().challenge,
  });
}

describe('client ID metadata documents (local http documents allowed for this test)', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig(t.url, { CIMD_ALLOW_HTTP_LOCALHOST: 'true' }), { db: t.db });
  });
  afterAll(() => app.close());

  it.each([
    ['a portless loopback URI admits the port in the request', 'http://localhost:3118/callback', 302],
    ['the 127.0.0.1 form too', 'http://127.0.0.1:3118/callback', 302],
    ['another path is refused', 'http://localhost:3118/other', 400],
    ['another host is refused', 'http://evil.example:3118/callback', 400],
  ])('%s', async (_rule, redirectUri, status) => {
    const response = await authorize(app, `${base}/good.json`, redirectUri);
    expect(response.statusCode).toBe(status);
    if (status === 400) expect(response.headers.location).toBeUndefined();
  });

  it.each([
    ['client_id differing from the document URL', '/mismatch.json', 'client_id must equal its URL'],
    ['a document for a confidential client', '/secret.json', 'must use token_endpoint_auth_method none'],
  ])('refuses %s with an error page', async (_rule, path, message) => {
    const response = await authorize(app, `${base}${path}`, 'http://localhost:3118/callback');
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.json().error_description).toContain(message);
  });

  // The fetch's own failure is no business of an unauthenticated caller (it would make /authorize a
  // port scanner): a generic message, and the detail in the audit. A host that answered is not
  // "unreachable", so no offline fallback applies either.
  it.each([
    ['a missing document', '/missing.json', 'answered HTTP 404'],
    ['a document over the size limit', '/huge.json', 'is larger than'],
  ])('refuses %s generically, with the detail in the audit only', async (_rule, path, detail) => {
    const response = await authorize(app, `${base}${path}`, 'http://localhost:3118/callback');
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.json().error_description).toBe(
      `The client metadata document at ${base}${path} could not be used: it could not be fetched`,
    );
    expect(response.body).not.toContain(detail);
    const event = await t.db
      .selectFrom('auth_events')
      .selectAll()
      .where('client_id', '=', `${base}${path}`)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ fetchFailure: expect.stringContaining(detail) });
  });
});

describe('client ID metadata documents with the default settings', () => {
  it('an http://localhost document URL is not a metadata document: the client is unknown', async () => {
    const app = await buildApp(testConfig(t.url), { db: t.db });
    const response = await authorize(app, `${base}/good.json?fresh`, 'http://localhost:3118/callback');
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toContain('Unknown client_id');
    await app.close();
  });

  it.each([
    ['127.0.0.1', false],
    ['10.1.2.3', false],
    ['192.168.1.1', false],
    ['169.254.169.254', false],
    ['::1', false],
    ['fd00::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:7f00:2', false],
    ['::ffff:a00:1', false],
    ['::127.0.0.1', false],
    ['64:ff9b::a00:1', false],
    ['2002:c0a8:101::1', false],
    ['fe80::1', false],
    ['0.0.0.0', false],
    ['64:ff9b::5db8:d822', true],
    ['93.184.216.34', true],
    ['2606:4700::1111', true],
  ])('address %s is public: %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });
});
