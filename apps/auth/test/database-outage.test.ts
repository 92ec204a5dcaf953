import { createServer, type Server, type Socket, connect } from 'node:net';
import { createDb, type Db } from '@enginy/db/client';
import { SEED_IDS } from '@enginy/db/seed';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

/**
 * A TCP relay in front of the test PostgreSQL that can be cut (every connection dropped, new ones
 * refused) and restored on the same port: the database "goes away" and comes back, as in a restart.
 */
class Relay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async up(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }
}

let t: TestDatabase;
let relay: Relay;
let db: Db;
let app: FastifyInstance;
const config = () => testConfig(t.url);

beforeAll(async () => {
  t = await createTestDatabase();
  const url = new URL(t.url);
  relay = new Relay({ host: url.hostname, port: Number(url.port) });
  await relay.up();
  url.hostname = '127.0.0.1';
  url.port = String(relay.port);
  db = createDb(url.toString(), { max: 3 });
  app = await buildApp(config(), { db });
});
afterAll(async () => {
  await app.close();
  await db.destroy();
  await relay.down();
  await t.drop();
});

describe('while the database cannot be reached', () => {
  it('answers 503 temporarily_unavailable with Retry-After (not a 500, not "Unknown client"), and works again once it is back', async () => {
    const oauth = oauthClient(injectTransport(app), config());
    const clientId = (await oauth.register()).client_id;
    const session = await oauth.signIn();
    const { code, verifier } = await oauth.approvedCode(session, SEED_IDS.acme, { clientId });
    const pair = (
      await oauth.token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
      })
    ).json<{ refresh_token: string }>();
    const refresh = () =>
      oauth.token({ grant_type: 'refresh_token', refresh_token: pair.refresh_token, client_id: clientId });

    await relay.down();
    const refused = await refresh();
    expect(refused.statusCode).toBe(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: expect.stringContaining('database'),
    });
    const authorize = await app.inject({
      method: 'GET',
      url: `/authorize?${oauth.authorizeQuery({ clientId, challenge: pkcePair().challenge })}`,
    });
    expect(authorize.statusCode).toBe(503);
    expect(authorize.json()).toMatchObject({ error: 'temporarily_unavailable' });
    expect((await app.inject('/readyz')).statusCode).toBe(503);

    await relay.up();
    // The identical retry right after: the failure above is not replayed to it (it is no answer to keep).
    const retried = await refresh();
    expect(retried.statusCode).toBe(200);
    expect(retried.json()).toHaveProperty('refresh_token');
  });
});
