import { purgeExpired } from '@enginy/db/queries/oauth-purge';
import { createAuthorizationRequest } from '@enginy/db/queries/oauth-requests';
import { createSession } from '@enginy/db/queries/oauth-sessions';
import { createCode, createGrant, insertTokens } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/testing/database';
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
    const grantId = await createGrant(t.db, { workspaceId: SEED_IDS.acme, userId: SEED_IDS.member, clientId: 'c', redirectUri: 'r', scopes: ['CONTACTS_READ'], resource: 'http://localhost:3001/mcp' });
    for (const [name, expiresAt] of [['old', at(-48 * HOUR)], ['recent', at(-1 * HOUR)], ['live', at(HOUR)]] as const) {
      await createSession(t.db, { idHash: `session-${name}`, userId: SEED_IDS.member, csrfToken: 'x', expiresAt });
      await createCode(t.db, { codeHash: `code-${name}`, clientId: 'c', redirectUri: 'r', codeChallenge: 'x', resource: 'r', workspaceId: SEED_IDS.acme, userId: SEED_IDS.member, scopes: [], expiresAt });
      await insertTokens(t.db, grantId, [{ hash: `access-${name}`, kind: 'access', expiresAt }]);
      await insertTokens(t.db, grantId, [{ hash: `refresh-${name}`, kind: 'refresh', expiresAt }]);
      const requestId = await createAuthorizationRequest(t.db, { clientId: `purge-${name}`, redirectUri: 'r', scope: null, state: null, codeChallenge: 'x', resource: 'r', clientSource: null }, 60);
      await t.db.updateTable('oauth_authorization_requests').set({ expires_at: expiresAt }).where('id', '=', requestId).execute();
    }
    // Two spent refresh tokens with their sealed retry answers: one spent just now, one 10 minutes ago.
    await t.db.updateTable('oauth_tokens').set({ spent_at: new Date(), retry_answer: Buffer.from('now') }).where('token_hash', '=', 'refresh-live').execute();
    await t.db.updateTable('oauth_tokens').set({ spent_at: at(-600_000), retry_answer: Buffer.from('old') }).where('token_hash', '=', 'refresh-recent').execute();

    const purged = await purgeExpired(t.db, at(-24 * HOUR), at(-30_000));
    expect(purged).toEqual({ sessions: 1, authorizationRequests: 1, codes: 1, tokens: 2 });

    const left = {
      sessions: (await t.db.selectFrom('oauth_sessions').select('id_hash').where('id_hash', 'like', 'session-%').orderBy('id_hash').execute()).map((r) => r.id_hash),
      codes: (await t.db.selectFrom('oauth_codes').select('code_hash').where('code_hash', 'like', 'code-%').orderBy('code_hash').execute()).map((r) => r.code_hash),
      tokens: (await t.db.selectFrom('oauth_tokens').select('token_hash').where('grant_id', '=', grantId).orderBy('token_hash').execute()).map((r) => r.token_hash),
      requests: (await t.db.selectFrom('oauth_authorization_requests').select('client_id').where('client_id', 'like', 'purge-%').orderBy('client_id').execute()).map((r) => r.client_id),
    };
    expect(left).toEqual({
      sessions: ['session-live', 'session-recent'],
      codes: ['code-live', 'code-recent'],
      tokens: ['access-live', 'access-recent', 'refresh-live', 'refresh-recent'],
      requests: ['purge-live', 'purge-recent'],
    });
    // Retry answers go once their grace period is over; the spent tokens themselves stay.
    const answers = await t.db.selectFrom('oauth_tokens').select(['token_hash', 'retry_answer']).where('token_hash', 'in', ['refresh-live', 'refresh-recent']).orderBy('token_hash').execute();
    expect(answers.map((r) => [r.token_hash, r.retry_answer?.toString() ?? null])).toEqual([
      ['refresh-live', 'now'],
      ['refresh-recent', null],
    ]);
    // The grant itself (the console's history) is kept.
    expect(await t.db.selectFrom('oauth_grants').select('id').where('id', '=', grantId).executeTakeFirst()).toBeDefined();
  });
});
