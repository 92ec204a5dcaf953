import {
  countUnusedDynamicClientsFrom,
  purgeUnusedDynamicClients,
  registerDynamicClient,
  upsertCimdClient,
} from '@enginy/db/queries/oauth-clients';
import { createGrant } from '@enginy/db/queries/oauth-grants';
import { purgeExpired } from '@enginy/db/queries/oauth-purge';
import { createAuthorizationRequest } from '@enginy/db/queries/oauth-requests';
import { createCode, insertTokens } from '@enginy/db/queries/oauth-tokens';
import { createSession } from '@enginy/db/queries/users';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

const HOUR = 3_600_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs);

describe('purgeExpired', () => {
  it('deletes what expired before the cut-off and keeps everything else, spent refresh tokens included; clears retry answers past their grace', async () => {
    const grantId = await createGrant(t.db, {
      workspaceId: SEED_IDS.acme,
      userId: SEED_IDS.member,
      clientId: 'c',
      redirectUri: 'r',
      scopes: ['CONTACTS_READ'],
      resource: 'http://localhost:3001/mcp',
    });
    for (const [name, expiresAt] of [
      ['old', at(-48 * HOUR)],
      ['recent', at(-1 * HOUR)],
      ['live', at(HOUR)],
    ] as const) {
      await createSession(t.db, { idHash: `session-${name}`, userId: SEED_IDS.member, csrfToken: 'x', expiresAt });
      await createCode(t.db, {
        codeHash: `code-${name}`,
        clientId: 'c',
        redirectUri: 'r',
        codeChallenge: 'x',
        resource: 'r',
        workspaceId: SEED_IDS.acme,
        userId: SEED_IDS.member,
        scopes: [],
        expiresAt,
      });
      await insertTokens(t.db, grantId, [{ hash: `access-${name}`, kind: 'access', expiresAt }]);
      await insertTokens(t.db, grantId, [{ hash: `refresh-${name}`, kind: 'refresh', expiresAt }]);
      const requestId = await createAuthorizationRequest(
        t.db,
        {
          clientId: `purge-${name}`,
          redirectUri: 'r',
          scope: null,
          state: null,
          codeChallenge: 'x',
          resource: 'r',
          clientSource: null,
        },
        60,
      );
      await t.db
        .updateTable('oauth_authorization_requests')
        .set({ expires_at: expiresAt })
        .where('id', '=', requestId)
        .execute();
    }
    // Two spent refresh tokens with their sealed retry answers: one spent just now, one 10 minutes ago.
    await t.db
      .updateTable('oauth_tokens')
      .set({ spent_at: new Date(), retry_answer: Buffer.from('now') })
      .where('token_hash', '=', 'refresh-live')
      .execute();
    await t.db
      .updateTable('oauth_tokens')
      .set({ spent_at: at(-600_000), retry_answer: Buffer.from('old') })
      .where('token_hash', '=', 'refresh-recent')
      .execute();

    const purged = await purgeExpired(t.db, at(-24 * HOUR), at(-30_000));
    expect(purged).toEqual({ sessions: 1, authorizationRequests: 1, codes: 1, tokens: 2 });

    const left = {
      sessions: (
        await t.db
          .selectFrom('oauth_sessions')
          .select('id_hash')
          .where('id_hash', 'like', 'session-%')
          .orderBy('id_hash')
          .execute()
      ).map((r) => r.id_hash),
      codes: (
        await t.db
          .selectFrom('oauth_codes')
          .select('code_hash')
          .where('code_hash', 'like', 'code-%')
          .orderBy('code_hash')
          .execute()
      ).map((r) => r.code_hash),
      tokens: (
        await t.db
          .selectFrom('oauth_tokens')
          .select('token_hash')
          .where('grant_id', '=', grantId)
          .orderBy('token_hash')
          .execute()
      ).map((r) => r.token_hash),
      requests: (
        await t.db
          .selectFrom('oauth_authorization_requests')
          .select('client_id')
          .where('client_id', 'like', 'purge-%')
          .orderBy('client_id')
          .execute()
      ).map((r) => r.client_id),
    };
    expect(left).toEqual({
      sessions: ['session-live', 'session-recent'],
      codes: ['code-live', 'code-recent'],
      tokens: ['access-live', 'access-recent', 'refresh-live', 'refresh-recent'],
      requests: ['purge-live', 'purge-recent'],
    });
    // Retry answers go once their grace period is over; the spent tokens themselves stay.
    const answers = await t.db
      .selectFrom('oauth_tokens')
      .select(['token_hash', 'retry_answer'])
      .where('token_hash', 'in', ['refresh-live', 'refresh-recent'])
      .orderBy('token_hash')
      .execute();
    expect(answers.map((r) => [r.token_hash, r.retry_answer?.toString() ?? null])).toEqual([
      ['refresh-live', 'now'],
      ['refresh-recent', null],
    ]);
    // The grant itself (the console's history) is kept.
    expect(
      await t.db.selectFrom('oauth_grants').select('id').where('id', '=', grantId).executeTakeFirst(),
    ).toBeDefined();
  });
});

describe('purgeUnusedDynamicClients (RFC 7591 §3: open registration "MAY be rate-limited or otherwise limited")', () => {
  const client = (name: string) => ({
    kind: 'dynamic' as const,
    name,
    redirectUris: ['http://localhost:3118/callback'],
    tokenEndpointAuthMethod: 'none' as const,
    metadata: { client_name: name },
    fingerprint: `fp-${name}`,
    registeredFrom: '127.0.0.9',
  });
  const age = (id: string, ms: number) =>
    t.db
      .updateTable('oauth_clients')
      .set({ registered_at: at(-ms) })
      .where('id', '=', id)
      .execute();

  it('deletes dynamic clients that never completed a grant a day after their last registration, and nothing else', async () => {
    const ids = Object.fromEntries(
      await Promise.all(
        ['stale', 'granted', 'revoked', 'fresh', 'pending', 'reregistered'].map(async (name, i) => {
          const { client: row } = await registerDynamicClient(
            t.db,
            `00000000-0000-4000-8000-0000000001${String(i).padStart(2, '0')}`,
            client(name),
          );
          return [name, row.id] as const;
        }),
      ),
    );
    for (const name of ['stale', 'granted', 'revoked', 'pending', 'reregistered'])
      await age(ids[name] as string, 25 * HOUR);
    await age(ids.fresh as string, 23 * HOUR);
    const grant = {
      workspaceId: SEED_IDS.acme,
      userId: SEED_IDS.member,
      redirectUri: 'r',
      scopes: ['CONTACTS_READ'],
      resource: 'r',
    };
    await createGrant(t.db, { ...grant, clientId: ids.granted as string });
    const revoked = await createGrant(t.db, { ...grant, clientId: ids.revoked as string });
    await t.db
      .updateTable('oauth_grants')
      .set({ revoked_at: new Date(), revoked_reason: 'test' })
      .where('id', '=', revoked)
      .execute();
    // A sign-in under way for a day-old client is not cut short.
    await createAuthorizationRequest(
      t.db,
      {
        clientId: ids.pending as string,
        redirectUri: 'r',
        scope: null,
        state: null,
        codeChallenge: 'x',
        resource: 'r',
        clientSource: null,
      },
      600,
    );
    // An identical re-registration (Claude Code registers on every login) restarts the day.
    const again = await registerDynamicClient(t.db, '00000000-0000-4000-8000-0000000001ff', client('reregistered'));
    expect(again).toMatchObject({ created: false, client: { id: ids.reregistered } });
    // Metadata-document and pre-registered clients are not registrations and never expire this way.
    await upsertCimdClient(
      t.db,
      'https://old.example/client.json',
      { name: 'cimd', redirectUris: [], tokenEndpointAuthMethod: 'none', metadata: {} },
      'fetched',
    );
    await t.db
      .updateTable('oauth_clients')
      .set({ registered_at: at(-25 * HOUR) })
      .where('id', '=', 'https://old.example/client.json')
      .execute();

    expect(await countUnusedDynamicClientsFrom(t.db, '127.0.0.9')).toBe(4);
    expect(await purgeUnusedDynamicClients(t.db, at(-24 * HOUR))).toBe(1);
    const left = await t.db
      .selectFrom('oauth_clients')
      .select('id')
      .where('id', 'in', [...Object.values(ids), 'https://old.example/client.json'])
      .execute();
    expect(left.map((row) => row.id).sort()).toEqual(
      [...Object.values(ids).filter((id) => id !== ids.stale), 'https://old.example/client.json'].sort(),
    );
    expect(await countUnusedDynamicClientsFrom(t.db, '127.0.0.9')).toBe(3);
    expect(await countUnusedDynamicClientsFrom(t.db, '127.0.0.10')).toBe(0);
  });
});
