import { createDb, type Db } from '@enginy/db/client';
import { createPreregisteredClient, findClient, registerDynamicClient } from '@enginy/db/queries/oauth-clients';
import { createGrant, revokeGrant } from '@enginy/db/queries/oauth-grants';
import {
  claimCode,
  createCode,
  findActiveAccessToken,
  findActiveAccessTokens,
  insertTokens,
} from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';
import { newClientCredentials } from '@enginy/security/credentials';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
let wide: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  wide = createDb(t.url, { max: 20 });
});
afterAll(async () => {
  await wide.destroy();
  await t.drop();
});

const code = (hash: string) => ({
  codeHash: hash,
  clientId: 'c',
  redirectUri: 'http://localhost:3118/callback',
  codeChallenge: 'x',
  resource: 'http://localhost:3001/mcp',
  workspaceId: SEED_IDS.acme,
  userId: SEED_IDS.member,
  scopes: ['CONTACTS_READ'],
  expiresAt: new Date(Date.now() + 60_000),
});

describe('oauth codes', () => {
  it('20 concurrent claims on 20 connections: exactly one wins', async () => {
    await createCode(t.db, code('race'));
    const claims = await Promise.all(Array.from({ length: 20 }, () => claimCode(wide, 'race')));
    expect(claims.filter((c) => c !== undefined)).toHaveLength(1);
  });

  it('an expired code cannot be claimed', async () => {
    await createCode(t.db, { ...code('old'), expiresAt: new Date(Date.now() - 1000) });
    expect(await claimCode(t.db, 'old')).toBeUndefined();
  });
});

describe('findActiveAccessToken', () => {
  it('returns the grant, workspace, scopes and audience; nothing once revoked or expired', async () => {
    const grantId = await createGrant(t.db, {
      workspaceId: SEED_IDS.acme,
      userId: SEED_IDS.member,
      clientId: 'c',
      redirectUri: 'r',
      scopes: ['CONTACTS_WRITE'],
      resource: 'http://localhost:3001/mcp',
    });
    await insertTokens(t.db, grantId, [
      { hash: 'live', kind: 'access', expiresAt: new Date(Date.now() + 60_000) },
      { hash: 'expired', kind: 'access', expiresAt: new Date(Date.now() - 1) },
      { hash: 'refresh', kind: 'refresh', expiresAt: new Date(Date.now() + 60_000) },
    ]);
    // The seeded Acme ceiling is read-only: a granted WRITE is cut to its READ (the row carries the
    // settings the callers apply the policy with).
    const live = await findActiveAccessToken(t.db, 'live');
    expect(live && withEffectiveScopes(live)).toMatchObject({
      grantId,
      workspaceId: SEED_IDS.acme,
      resource: 'http://localhost:3001/mcp',
      grantedScopes: ['CONTACTS_WRITE'],
      effectiveScopes: ['CONTACTS_READ'],
    });
    expect(await findActiveAccessToken(t.db, 'expired')).toBeUndefined();
    expect(await findActiveAccessToken(t.db, 'refresh')).toBeUndefined();
    await revokeGrant(t.db, grantId, 'test');
    expect(await findActiveAccessToken(t.db, 'live')).toBeUndefined();
  });
});

describe('the live-token lookup', () => {
  it('runs as a prepared statement, planned once per connection, and still sees a revoke at once', async () => {
    const one = createDb(t.url, { max: 1 });
    try {
      const grantId = await createGrant(one, {
        workspaceId: SEED_IDS.acme,
        userId: SEED_IDS.member,
        clientId: 'c',
        redirectUri: 'r',
        scopes: ['CONTACTS_READ'],
        resource: 'r',
      });
      await insertTokens(one, grantId, [
        { hash: 'prepared', kind: 'access', expiresAt: new Date(Date.now() + 60_000) },
      ]);
      expect(await findActiveAccessToken(one, 'prepared')).toBeDefined();
      expect(await findActiveAccessTokens(one, ['prepared', 'unknown'])).toHaveProperty('size', 1);
      const prepared = await sql<{ name: string }>`select name from pg_prepared_statements`.execute(one);
      expect(prepared.rows.map((row) => row.name)).toContain('active_access_tokens');
      await revokeGrant(one, grantId, 'test');
      expect(await findActiveAccessToken(one, 'prepared')).toBeUndefined();
    } finally {
      await one.destroy();
    }
  });
});

describe('oauth clients', () => {
  it('a registration with the same fingerprint returns the existing client', async () => {
    const input = {
      kind: 'dynamic' as const,
      name: 'x',
      redirectUris: ['http://localhost:3118/callback'],
      tokenEndpointAuthMethod: 'none' as const,
      metadata: {},
      fingerprint: 'fp',
    };
    const first = await registerDynamicClient(t.db, '00000000-0000-4000-8000-0000000000a1', input);
    const second = await registerDynamicClient(t.db, '00000000-0000-4000-8000-0000000000a2', input);
    expect([first.created, second.created]).toEqual([true, false]);
    expect(second.client.id).toBe(first.client.id);
  });

  it('a pre-registered client stores only the hash of its secret and rejects bad redirect URIs', async () => {
    const { clientId, clientSecret } = await createPreregisteredClient(t.db, 'k'.repeat(32), {
      ...newClientCredentials(),
      name: 'CLI',
      redirectUris: ['http://localhost:3118/callback'],
    });
    const client = await findClient(t.db, clientId);
    expect(client?.secretHash).toBeTruthy();
    expect(client?.secretHash).not.toBe(clientSecret);
    // A bad redirect URI is refused by the callers before storing (tools/stack/test/oauth-client-cli.test.ts).
  });
});
