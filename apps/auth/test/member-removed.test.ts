import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { createDb, type Db } from '@enginy/db/client';
import { createGrant } from '@enginy/db/queries/oauth-grants';
import { insertTokens } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, MEMBER, oauthClient } from '@enginy/testing/oauth-client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

// Issue 22 (M1): a member removed from a workspace must not mint new tokens with a refresh token
// or an authorization code issued while they were a member.

let t: TestDatabase;
let app: FastifyInstance;
/** Another pool: the console or psql removing the member, not the service's own. */
let writer: Db;
const config = () => testConfig(t.url);
const oauth = () => oauthClient(injectTransport(app), config());

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(config(), { db: t.db });
  writer = createDb(t.url, { max: 1 });
});
afterAll(async () => {
  await app.close();
  await writer.destroy();
  await t.drop();
});

describe('/token after the user left the workspace', () => {
  it('answers invalid_grant saying so, mints nothing, and the grant is revoked (member_removed)', async () => {
    const session = await oauth().signIn(MEMBER);
    const first = await oauth().authorizeAndRedeem(session, { workspaceId: SEED_IDS.acme });
    // Still a member: the refresh works.
    const second = await oauth().refresh(first.clientId, first.refresh_token);

    await writer
      .deleteFrom('memberships')
      .where('workspace_id', '=', SEED_IDS.acme)
      .where('user_id', '=', SEED_IDS.member)
      .execute();

    const refused = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
      client_id: first.clientId,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('no longer a member of this workspace'),
    });
    expect(refused.json().access_token).toBeUndefined();
    const grant = await t.db
      .selectFrom('oauth_grants')
      .select(['revoked_at', 'revoked_reason'])
      .where('user_id', '=', SEED_IDS.member)
      .where('client_id', '=', first.clientId)
      .executeTakeFirstOrThrow();
    expect(grant.revoked_at).not.toBeNull();
    expect(grant.revoked_reason).toBe('member_removed');
    // Added back: the grant made before the removal stays ended; a new authorization is needed.
    await writer
      .insertInto('memberships')
      .values({ workspace_id: SEED_IDS.acme, user_id: SEED_IDS.member, role: 'member' })
      .execute();
    const again = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: second.refresh_token,
      client_id: first.clientId,
    });
    expect(again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('revokes, with that reason, a grant whose user is not a member, however it outlived the membership', async () => {
    // No trigger ran for this one: a grant in a workspace its user never belonged to.
    const outsider = await writer
      .insertInto('users')
      .values({ email: 'outsider@enginy.local', name: 'Outsider', password_hash: 'x' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { client_id: clientId } = await oauth().register();
    const grantId = await createGrant(writer, {
      workspaceId: SEED_IDS.acme,
      userId: outsider.id,
      clientId,
      redirectUri: CLAUDE_CODE_REDIRECT_URI,
      scopes: ['CONTACTS_READ'],
      resource: config().openapi.mcpUrl,
    });
    const refreshToken = newSecret('ert_');
    await insertTokens(writer, grantId, [
      {
        hash: hashSecret(config().tokenHashKey, refreshToken),
        kind: 'refresh',
        expiresAt: new Date(Date.now() + 60_000),
      },
    ]);
    const refused = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: clientId,
    });
    expect(refused.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('no longer a member of this workspace'),
    });
    expect(
      await t.db.selectFrom('oauth_grants').select('revoked_reason').where('id', '=', grantId).executeTakeFirst(),
    ).toEqual({ revoked_reason: 'member_removed' });
  });

  it('a code approved before the removal and redeemed after it makes no grant (invalid_grant)', async () => {
    const session = await oauth().signIn(MEMBER);
    const { client_id: clientId } = await oauth().register();
    const { code, verifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    // An identical registration is the same client as the tests' above: count its grants.
    const grants = () => t.db.selectFrom('oauth_grants').select('id').where('client_id', '=', clientId).execute();
    const before = await grants();
    await writer
      .deleteFrom('memberships')
      .where('workspace_id', '=', SEED_IDS.acme)
      .where('user_id', '=', SEED_IDS.member)
      .execute();
    try {
      const refused = await oauth().token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: CLAUDE_CODE_REDIRECT_URI,
        client_id: clientId,
        resource: config().openapi.mcpUrl,
      });
      expect(refused.json()).toMatchObject({
        error: 'invalid_grant',
        error_description: expect.stringContaining('no longer a member of this workspace'),
      });
      expect(await grants()).toEqual(before);
    } finally {
      await writer
        .insertInto('memberships')
        .values({ workspace_id: SEED_IDS.acme, user_id: SEED_IDS.member, role: 'member' })
        .execute();
    }
  });
});
