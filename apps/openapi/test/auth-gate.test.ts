import { SEED_IDS } from '@enginy/db/seed';
import { revokeApiKey } from '@enginy/db/queries/api-keys';
import { hashSecret } from '@enginy/security/tokens';
import { testConfig } from '@enginy/testing/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialResolver } from '../src/auth/principal.ts';
import { buildApp } from '../src/app.ts';
import { type Harness, startHarness } from './helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

describe('the scope gate with API keys', () => {
  it('401 without a credential, naming how to send one', async () => {
    const response = await h.call('GET', '/v1/credits');
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ status: 'error', code: 'unauthenticated' });
    // Every registered way to authenticate is named, the API key first.
    expect(response.json().message).toMatch(/^Authentication required: send an x-api-key header( or .+)?$/);
  });

  it.each([['not-a-key'], ['gsk_short'], [`gsk_${'A'.repeat(43)}`], ['']])(
    '401 for an invalid key %j',
    async (value) => {
      const response = await h.call('GET', '/v1/credits', { headers: { 'x-api-key': value } });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('invalid_api_key');
    },
  );

  it('401 once a key is revoked', async () => {
    const key = await h.key(['WORKSPACE_READ']);
    expect((await h.call('GET', '/v1/credits', { key })).statusCode).toBe(200);
    const row = await h.t.db
      .selectFrom('api_keys')
      .select('id')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    await revokeApiKey(h.t.db, SEED_IDS.acme, row.id);
    expect((await h.call('GET', '/v1/credits', { key })).statusCode).toBe(401);
  });

  it("records a key's last use in a batch; a call refused for scope still used the key", async () => {
    const key = await h.key(['WORKSPACE_READ']);
    const lastUsed = () =>
      h.t.db
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('key_hash', '=', hashSecret(h.config.tokenHashKey, key))
        .executeTakeFirstOrThrow();
    expect((await lastUsed()).last_used_at).toBeNull();
    const before = Date.now();
    expect((await h.call('GET', '/v1/credits', { key })).statusCode).toBe(200);
    await h.app.flushUsage();
    const used = (await lastUsed()).last_used_at;
    expect(used?.getTime()).toBeGreaterThanOrEqual(before - 5);
    const narrow = await h.key([]);
    expect((await h.call('GET', '/v1/credits', { key: narrow })).statusCode).toBe(403);
    await h.app.flushUsage();
    const narrowRow = await h.t.db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('key_hash', '=', hashSecret(h.config.tokenHashKey, narrow))
      .executeTakeFirstOrThrow();
    expect(narrowRow.last_used_at).not.toBeNull();
  });

  it('a key with no scopes is denied everything', async () => {
    const key = await h.key([]);
    for (const [method, url] of [
      ['GET', '/v1/credits'],
      ['GET', '/v1/lists'],
      ['GET', '/v1/campaigns'],
    ] as const) {
      expect((await h.call(method, url, { key })).statusCode).toBe(403);
    }
  });

  it('WRITE includes READ, ALL allows everything, unknown scope names grant nothing', async () => {
    expect((await h.call('GET', '/v1/lists', { key: await h.key(['LISTS_WRITE']) })).statusCode).toBe(200);
    const all = await h.key(['ALL']);
    for (const url of [
      '/v1/credits',
      '/v1/lists',
      '/v1/campaigns',
      '/v1/inboxes',
      '/v1/sender-identities',
      '/v1/tasks/owners',
    ]) {
      expect((await h.call('GET', url, { key: all })).statusCode, url).toBe(200);
    }
    // A stored scope name the policy does not know (say, from a newer version) grants nothing.
    const odd = await h.key(['WORKSPACE_READ']);
    const latest = await h.t.db
      .selectFrom('api_keys')
      .select('id')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    await h.t.db
      .updateTable('api_keys')
      .set({ scopes: ['LISTS_ADMIN'] })
      .where('id', '=', latest.id)
      .execute();
    expect((await h.call('GET', '/v1/lists', { key: odd })).statusCode).toBe(403);
  });

  it('403 names the scope needed and what the key has', async () => {
    const response = await h.call('GET', '/v1/credits', { key: await h.key(['CONTACTS_READ']) });
    expect(response.json()).toEqual({
      status: 'error',
      code: 'insufficient_scope',
      message: 'Missing required scope: WORKSPACE_READ',
      details: { requiredScopes: ['WORKSPACE_READ'], grantedScopes: ['CONTACTS_READ'] },
    });
  });

  it('keeps public routes public', async () => {
    expect((await h.call('GET', '/healthz')).statusCode).toBe(200);
    expect((await h.call('GET', '/definitions.json')).statusCode).toBe(200);
  });
});

describe('pluggable credential resolvers', () => {
  it('a second resolver (e.g. OAuth bearer tokens) goes through the same gate', async () => {
    const bearer: CredentialResolver = {
      name: 'test_bearer',
      presented: 'a bearer token',
      resolve: async (headers) =>
        headers.authorization === 'Bearer good'
          ? {
              kind: 'oauth',
              workspaceId: SEED_IDS.acme,
              userId: SEED_IDS.admin,
              clientId: 'c1',
              scopes: ['WORKSPACE_READ'],
            }
          : undefined,
    };
    const app = await buildApp(testConfig(h.t.url), { db: h.t.db, credentialResolvers: [bearer] });
    try {
      const ok = await app.inject({ url: '/v1/credits', headers: { authorization: 'Bearer good' } });
      expect(ok.statusCode).toBe(200);
      const scoped = await app.inject({ url: '/v1/lists', headers: { authorization: 'Bearer good' } });
      expect(scoped.json()).toMatchObject({
        code: 'insufficient_scope',
        message: 'Missing required scope: LISTS_READ',
      });
      const none = await app.inject({ url: '/v1/credits' });
      expect(none.json().message).toMatch(/^Authentication required: send an x-api-key header or a bearer token/);
    } finally {
      await app.close();
    }
  });
});
