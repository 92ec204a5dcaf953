// Open dynamic registration (RFC 7591 §3: "MAY be rate-limited or otherwise limited to prevent a
// denial-of-service attack") limited per caller address, as the OpenAPI service's aliases forward it,
// so that no caller can shut registration off for everyone or obtain another caller's client ID.
import { sql } from 'kysely';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { createGrant } from '@enginy/db/queries/oauth-grants';
import { SEED_IDS } from '@enginy/db/seed';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

// UNUSED_CLIENTS_PER_ADDRESS's default: what a stack that sets nothing allows.
const MAX_UNUSED_CLIENTS_PER_ADDRESS = testConfig('postgres://unused@127.0.0.1:1/unused').oauth.unusedClientsPerAddress;

let t: TestDatabase;
let app: FastifyInstance;
beforeAll(async () => {
  t = await createTestDatabase();
});
beforeEach(async () => {
  await app?.close();
  await t.db.deleteFrom('oauth_clients').where('kind', '=', 'dynamic').execute();
  app = await buildApp(testConfig(t.url), { db: t.db });
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

/** A registration as the OpenAPI service's alias relays it: from loopback, the caller in X-Forwarded-For. */
function register(caller: string, name = 'Claude Code (enginy)') {
  return app.inject({
    method: 'POST',
    url: '/register',
    headers: { 'x-forwarded-for': caller },
    payload: { client_name: name, redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
  });
}

/** `count` clients as an earlier registration left them, in one statement. */
async function fill(count: number, registeredFrom: string) {
  await sql`
    insert into oauth_clients (id, kind, name, redirect_uris, token_endpoint_auth_method, registered_from)
    select gen_random_uuid()::text, 'dynamic', 'flood ' || n, array[${REDIRECT_URI}], 'none', ${registeredFrom}
    from generate_series(1, ${count}) as n`.execute(t.db);
}

describe('registration limits per caller address', () => {
  it('10,000 unused clients in the table no longer shut registration off for everyone', async () => {
    // What used to be the global cap: 9,999 clients from before, and one more from 127.0.0.9.
    await sql`
      insert into oauth_clients (id, kind, name, redirect_uris, token_endpoint_auth_method)
      select gen_random_uuid()::text, 'dynamic', 'flood ' || n, array[${REDIRECT_URI}], 'none'
      from generate_series(1, 9999) as n`.execute(t.db);
    expect((await register('127.0.0.9')).statusCode).toBe(201);
    expect((await register('127.0.0.10')).statusCode).toBe(201);
  });

  it('UNUSED_CLIENTS_PER_ADDRESS sets the cap', async () => {
    const capped = await buildApp(testConfig(t.url, { UNUSED_CLIENTS_PER_ADDRESS: '3' }), { db: t.db });
    try {
      await fill(3, '127.0.0.9');
      const refused = await capped.inject({
        method: 'POST',
        url: '/register',
        headers: { 'x-forwarded-for': '127.0.0.9' },
        payload: { client_name: 'the fourth', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
      });
      expect(refused.statusCode).toBe(503);
      expect(refused.json().error).toBe('temporarily_unavailable');
      expect((await register('127.0.0.9', 'under the default cap')).statusCode).toBe(201);
    } finally {
      await capped.close();
    }
  });

  it(`an address holds at most ${MAX_UNUSED_CLIENTS_PER_ADDRESS} clients that never completed a grant; another address is not affected`, async () => {
    await fill(MAX_UNUSED_CLIENTS_PER_ADDRESS, '127.0.0.9');
    const refused = await register('127.0.0.9', 'one too many');
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toEqual({
      error: 'temporarily_unavailable',
      error_description: 'Too many registered clients from this address; try again later',
    });
    expect(refused.headers['retry-after']).toBe('3600');
    expect((await register('127.0.0.10', 'someone else')).statusCode).toBe(201);
    // A client that completed a grant is in use: it no longer counts against its address.
    const used = await t.db
      .selectFrom('oauth_clients')
      .select('id')
      .where('registered_from', '=', '127.0.0.9')
      .executeTakeFirstOrThrow();
    await createGrant(t.db, {
      workspaceId: SEED_IDS.acme,
      userId: SEED_IDS.member,
      clientId: used.id,
      redirectUri: REDIRECT_URI,
      scopes: ['CONTACTS_READ'],
      resource: 'r',
    });
    expect((await register('127.0.0.9', 'room again')).statusCode).toBe(201);
  });

  it("identical registrations through the alias: each caller gets a client ID of its own, never another caller's", async () => {
    const mine = (await register('127.0.0.9')).json<{ client_id: string }>().client_id;
    expect((await register('127.0.0.9')).json<{ client_id: string }>().client_id).toBe(mine);
    expect((await register('127.0.0.10')).json<{ client_id: string }>().client_id).not.toBe(mine);
  });

  it('the 60-a-minute rate limit counts each caller, not the proxy they all arrive through', async () => {
    for (let i = 0; i < 60; i++) expect((await register('127.0.0.11', `burst ${i}`)).statusCode).toBe(201);
    const limited = await register('127.0.0.11', 'burst 60');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await register('127.0.0.12', 'another caller')).statusCode).toBe(201);
  });

  it('REGISTER_RATE_LIMIT_PER_MINUTE sets that limit', async () => {
    await app.close();
    app = await buildApp(testConfig(t.url, { REGISTER_RATE_LIMIT_PER_MINUTE: '3' }), { db: t.db });
    for (let i = 0; i < 3; i++) expect((await register('127.0.0.13', `burst ${i}`)).statusCode).toBe(201);
    expect((await register('127.0.0.13', 'burst 3')).statusCode).toBe(429);
  });
});
