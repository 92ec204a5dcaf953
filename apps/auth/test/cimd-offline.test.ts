// Client ID metadata documents when the live document cannot be had: a development stack must not
// depend on reaching claude.ai or chatgpt.com. Hosts under `.invalid` never resolve (RFC 6761 §6.4),
// so these fetches fail at the network level on any machine, online or not.
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { knownClient } from '@enginy/config/known-clients';
import { SEED_IDS } from '@enginy/db/seed';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { BUNDLED_DOCUMENTS } from '../src/oauth/clients/bundled-documents.ts';
import { resolveMetadataDocumentClient } from '../src/oauth/clients/cimd.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

async function authorize(app: FastifyInstance, clientId: string, redirectUri: string) {
  return oauthClient(injectTransport(app), testConfig(t.url)).authorize({
    clientId,
    redirectUri,
    challenge: pkcePair().challenge,
  });
}

async function consentFor(app: FastifyInstance, response: { headers: Record<string, unknown> }) {
  const session = await oauthClient(injectTransport(app), testConfig(t.url)).signIn();
  const requestId = new URL(response.headers.location as string).searchParams.get('request') as string;
  const consent = await app.inject({
    method: 'GET',
    url: `/consent/${requestId}?workspace=${SEED_IDS.acme}`,
    headers: { cookie: session.cookie },
  });
  expect(consent.statusCode).toBe(200);
  return consent.json();
}

describe("Claude Code's bundled document", () => {
  it('is the public document as established: client_id, name, portless loopback callbacks, public client', () => {
    const claudeCode = knownClient('claude-code');
    expect(BUNDLED_DOCUMENTS.get(claudeCode.metadataDocumentUrl as string)).toEqual({
      client_id: 'https://claude.ai/oauth/claude-code-client-metadata',
      client_name: 'Claude Code',
      redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
      grant_types: ['authorization_code', 'refresh_token'],
      token_endpoint_auth_method: 'none',
    });
    // Only documents whose content is established are bundled: Codex goes the unverified way.
    expect([...BUNDLED_DOCUMENTS.keys()]).toEqual([claudeCode.metadataDocumentUrl]);
  });

  it('is used when the live fetch fails at the network level, and says so', async () => {
    const url = new URL('https://claude-code.invalid/oauth/client-metadata');
    const bundled = new Map([
      [
        url.href,
        {
          client_id: url.href,
          client_name: 'Claude Code',
          redirect_uris: ['http://localhost/callback'],
          token_endpoint_auth_method: 'none',
        },
      ],
    ]);
    const resolved = await resolveMetadataDocumentClient(t.db, testConfig(t.url), url, bundled);
    expect(resolved.source).toBe('bundled');
    expect(resolved.fetchFailure).toContain('ENOTFOUND');
    expect(resolved.client).toMatchObject({
      kind: 'cimd',
      name: 'Claude Code',
      redirectUris: ['http://localhost/callback'],
      metadataSource: 'bundled',
    });
  });

  it('is not used where bundled copies are switched off (production): the host is unreachable', async () => {
    const url = new URL('https://claude-code-strict.invalid/oauth/client-metadata');
    const bundled = new Map([[url.href, { client_id: url.href, redirect_uris: ['http://localhost/callback'] }]]);
    const config = testConfig(t.url, { CIMD_BUNDLED_DOCUMENTS: 'false', CIMD_UNVERIFIED_LOOPBACK: 'false' });
    await expect(resolveMetadataDocumentClient(t.db, config, url, bundled)).rejects.toThrow(
      `The client metadata document at ${url.href} could not be used: its host could not be reached`,
    );
  });
});

describe('an https client_id whose document cannot be had, in development', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await buildApp(testConfig(t.url), { db: t.db });
  });
  afterAll(() => app.close());
  const codexLike = 'https://chatgpt.invalid/oauth/codex/client.json';

  it('is accepted as an unverified client for a loopback redirect URI, marked unverified on the consent page and in the audit', async () => {
    const response = await authorize(app, codexLike, 'http://127.0.0.1:1455/callback');
    expect(response.statusCode).toBe(302);
    const consent = await consentFor(app, response);
    expect(consent.request.clientSource).toEqual({ kind: 'unverified', fetchedAt: null });
    expect(consent.request.clientName).toBe('chatgpt.invalid');
    const client = await t.db
      .selectFrom('oauth_clients')
      .selectAll()
      .where('id', '=', codexLike)
      .executeTakeFirstOrThrow();
    expect(client.metadata_source).toBe('unverified');
  });

  it.each([
    ['an https redirect URI', 'https://evil.example/callback'],
    ['a private-use scheme', 'com.example.app:/callback'],
  ])('refuses %s: an unverified client may only redirect to loopback', async (_case, redirectUri) => {
    const response = await authorize(app, codexLike, redirectUri);
    expect(response.statusCode).toBe(400);
    expect(response.headers.location).toBeUndefined();
    expect(response.json().error_description).toBe('redirect_uri is not registered for this client');
  });

  it('is refused where unverified clients are switched off, with the generic reason', async () => {
    const strict = await buildApp(testConfig(t.url, { CIMD_UNVERIFIED_LOOPBACK: 'false' }), { db: t.db });
    const response = await authorize(strict, 'https://strict.invalid/client.json', 'http://127.0.0.1:1455/callback');
    await strict.close();
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({
      error: 'invalid_client',
      error_description:
        'The client metadata document at https://strict.invalid/client.json could not be used: its host could not be reached',
    });
  });
});

describe('a cached document whose host became unreachable', () => {
  let server: Server;
  let base: string;
  let app: FastifyInstance;
  beforeAll(async () => {
    server = createHttpServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          client_id: `${base}${request.url}`,
          client_name: 'Cached App',
          redirect_uris: ['http://localhost/callback'],
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://localhost:${(server.address() as AddressInfo).port}`;
    app = await buildApp(
      testConfig(t.url, {
        CIMD_ALLOW_HTTP_LOCALHOST: 'true',
        CIMD_STALE_SECONDS: '86400',
        CIMD_UNVERIFIED_LOOPBACK: 'false',
      }),
      { db: t.db },
    );
  });
  afterAll(() => app.close());

  it('is served stale within CIMD_STALE_SECONDS, then refused', async () => {
    const clientId = `${base}/cached.json`;
    const first = await authorize(app, clientId, 'http://localhost:3118/callback');
    expect(first.statusCode).toBe(302);
    expect((await consentFor(app, first)).request.clientSource.kind).toBe('fetched');
    await new Promise((resolve) => server.close(resolve));

    // Past the 10-minute cache, the host is tried again and refuses connections.
    await t.db
      .updateTable('oauth_clients')
      .set({ fetched_at: new Date(Date.now() - 3600_000) })
      .where('id', '=', clientId)
      .execute();
    const stale = await authorize(app, clientId, 'http://localhost:3118/callback');
    expect(stale.statusCode).toBe(302);
    const consent = await consentFor(app, stale);
    expect(consent.request.clientSource).toMatchObject({ kind: 'cached', fetchedAt: expect.any(String) });
    expect(consent.request.clientName).toBe('Cached App');

    await t.db
      .updateTable('oauth_clients')
      .set({ fetched_at: new Date(Date.now() - 2 * 86400_000) })
      .where('id', '=', clientId)
      .execute();
    const tooOld = await authorize(app, clientId, 'http://localhost:3118/callback');
    expect(tooOld.statusCode).toBe(400);
    expect(tooOld.json().error_description).toContain('its host could not be reached');
  });
});

describe('the token endpoint never fetches a document', () => {
  it('answers an unknown metadata-document client_id with invalid_client and no request to its host', async () => {
    let hits = 0;
    const server = createHttpServer((_request, response) => {
      hits += 1;
      response.end('{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const app = await buildApp(testConfig(t.url, { CIMD_ALLOW_HTTP_LOCALHOST: 'true' }), { db: t.db });
    const clientId = `http://localhost:${(server.address() as AddressInfo).port}/never-authorized.json`;
    const response = await oauthClient(injectTransport(app), testConfig(t.url)).token({
      grant_type: 'authorization_code',
      code: 'x',
      code_verifier: 'y'.repeat(43),
      redirect_uri: 'http://localhost:3118/callback',
      client_id: clientId,
    });
    await app.close();
    await new Promise((resolve) => server.close(resolve));
    expect(response.statusCode).toBe(401);
    expect(response.json().error).toBe('invalid_client');
    expect(hits).toBe(0);
  });
});

// Issue: Node calls the socket's `lookup` only for names, so the address check that lived there let
// IP literals through in every notation. Each must be refused before any connection is made.
describe('IP-literal document hosts (SSRF)', () => {
  let listener: TcpServer;
  let port: number;
  let connections = 0;
  let app: FastifyInstance;
  beforeAll(async () => {
    listener = createTcpServer((socket) => {
      connections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.2', resolve));
    port = (listener.address() as AddressInfo).port;
    app = await buildApp(testConfig(t.url), { db: t.db });
  });
  afterAll(async () => {
    await app.close();
    await new Promise((resolve) => listener.close(resolve));
  });

  it.each([
    ['dotted', '127.0.0.2'],
    ['decimal', '2130706434'],
    ['hexadecimal', '0x7f.0.0.2'],
    ['octal', '0177.0.0.2'],
    ['IPv4-mapped IPv6', '[::ffff:127.0.0.2]'],
    ['IPv4-mapped IPv6, hex', '[::ffff:7f00:2]'],
  ])('refuses the %s form without connecting, and without the unverified fallback', async (_form, host) => {
    const response = await authorize(app, `https://${host}:${port}/cimd.json`, 'http://localhost:3118/callback');
    expect(response.statusCode).toBe(400);
    expect(response.json().error_description).toMatch(/could not be used: it could not be fetched$/);
    expect(response.body).not.toMatch(/ECONNREFUSED|wrong version number|certificate|private or loopback/);
    expect(connections).toBe(0);
  });
});
