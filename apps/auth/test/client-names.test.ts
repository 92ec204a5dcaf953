// Security review: U+202E in a client name survived registration and client metadata documents, so
// the consent page showed a reversed name and reversed the heading's own words after it.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SEED_IDS } from '@enginy/db/seed';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

const SPOOFED = 'Enginy Official\u202E ppa lanretxe\u202C';

let t: TestDatabase;
let app: FastifyInstance;
let server: Server;
let base: string;
beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(testConfig(t.url, { CIMD_ALLOW_HTTP_LOCALHOST: 'true' }), { db: t.db });
  server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        client_id: `${base}${request.url}`,
        client_name: SPOOFED,
        redirect_uris: ['http://localhost/callback'],
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app.close();
  await new Promise((resolve) => server.close(resolve));
  await t.drop();
});

async function consentName(clientId: string): Promise<string> {
  const oauth = oauthClient(injectTransport(app), testConfig(t.url));
  const id = await oauth.startAuthorization({ clientId, redirectUri: REDIRECT_URI, challenge: pkcePair().challenge });
  const session = await oauth.signIn();
  const consent = await app.inject({
    method: 'GET',
    url: `/consent/${id}?workspace=${SEED_IDS.acme}`,
    headers: { cookie: session.cookie },
  });
  return consent.json().request.clientName;
}

describe('bidirectional controls in client names', () => {
  it('are stripped at dynamic registration', async () => {
    const registered = await oauthClient(injectTransport(app), testConfig(t.url)).register({
      client_name: SPOOFED,
      redirect_uris: [REDIRECT_URI],
    });
    expect((registered as { client_name?: string }).client_name).toBe('Enginy Official ppa lanretxe');
    expect(await consentName(registered.client_id)).toBe('Enginy Official ppa lanretxe');
  });

  it('are stripped from a client metadata document', async () => {
    expect(await consentName(`${base}/spoofed.json`)).toBe('Enginy Official ppa lanretxe');
  });
});
