import { randomUUID } from 'node:crypto';
import { registerDynamicClient } from '@enginy/db/queries/oauth-clients';
import { createGrant } from '@enginy/db/queries/oauth-grants';
import { createSession } from '@enginy/db/queries/users';
import { SEED_IDS } from '@enginy/db/seed';
import { testConfig } from '@enginy/testing/config';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('the hourly purge of expired OAuth rows', () => {
  it('runs when the app starts: a session that expired two days ago is gone, a live one stays', async () => {
    await createSession(t.db, {
      idHash: 'long-gone',
      userId: SEED_IDS.member,
      csrfToken: 'x',
      expiresAt: new Date(Date.now() - 48 * 3_600_000),
    });
    await createSession(t.db, {
      idHash: 'live',
      userId: SEED_IDS.member,
      csrfToken: 'x',
      expiresAt: new Date(Date.now() + 3_600_000),
    });
    const app = await buildApp(testConfig(t.url), { db: t.db });
    await app.ready();
    // close() waits for the purge started by ready().
    await app.close();
    const left = await t.db
      .selectFrom('oauth_sessions')
      .select('id_hash')
      .where('id_hash', 'in', ['long-gone', 'live'])
      .execute();
    expect(left.map((row) => row.id_hash)).toEqual(['live']);
  });

  it('deletes audit events past the 90-day retention and keeps newer ones', async () => {
    const old = await t.db
      .insertInto('auth_events')
      .values({ client_id: 'retention-old', requested_scopes: [], outcome: 'denied', reason: 'x', details: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .insertInto('auth_events')
      .values({ client_id: 'retention-new', requested_scopes: [], outcome: 'denied', reason: 'x', details: '{}' })
      .execute();
    await t.db
      .updateTable('auth_events')
      .set({ created_at: new Date(Date.now() - 91 * 24 * 3_600_000) } as never)
      .where('id', '=', old.id)
      .execute();
    const app = await buildApp(testConfig(t.url), { db: t.db });
    await app.ready();
    await app.close();
    const left = await t.db
      .selectFrom('auth_events')
      .select('client_id')
      .where('client_id', 'like', 'retention-%')
      .execute();
    expect(left.map((row) => row.client_id)).toEqual(['retention-new']);
  });

  it('deletes a dynamic client that never completed a grant a day after it registered; a used one stays', async () => {
    const ids: string[] = [];
    for (const name of ['never used', 'used']) {
      const { client } = await registerDynamicClient(t.db, randomUUID(), {
        kind: 'dynamic',
        name,
        redirectUris: ['http://localhost:3118/callback'],
        tokenEndpointAuthMethod: 'none',
        metadata: {},
        registeredFrom: '127.0.0.9',
      });
      ids.push(client.id);
    }
    await createGrant(t.db, {
      workspaceId: SEED_IDS.acme,
      userId: SEED_IDS.member,
      clientId: ids[1] as string,
      redirectUri: 'http://localhost:3118/callback',
      scopes: ['CONTACTS_READ'],
      resource: 'r',
    });
    await t.db
      .updateTable('oauth_clients')
      .set({ registered_at: new Date(Date.now() - 25 * 3_600_000) })
      .where('id', 'in', ids)
      .execute();
    const app = await buildApp(testConfig(t.url), { db: t.db });
    await app.ready();
    await app.close();
    const left = await t.db.selectFrom('oauth_clients').select('id').where('id', 'in', ids).execute();
    expect(left.map((row) => row.id)).toEqual([ids[1]]);
  });
});
