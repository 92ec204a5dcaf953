// Security review (L2): anyone holding a spent code could revoke its owner's grant, under any
// client and with no verifier, because the replay check ran before the client and PKCE checks.
import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { hashSecret } from '@enginy/security/tokens';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
let session: { cookie: string; csrfToken: string };
const config = () => testConfig(t.url);
const oauth = () => oauthClient(injectTransport(app), config());

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(config(), { db: t.db });
  session = await oauth().signIn();
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

/** Client A's full flow: a redeemed code, the verifier that redeemed it and the access token it gave. */
async function spentCode(metadata: Record<string, unknown> = {}) {
  const owner = await oauth().register(metadata);
  const { code, verifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId: owner.client_id });
  const secret = owner.client_secret === undefined ? {} : { client_secret: owner.client_secret };
  const tokens = await oauth().redeem(owner.client_id, code, verifier, secret);
  return { owner, code, verifier, secret, accessToken: tokens.access_token };
}

const present = (code: string, params: Record<string, string | undefined>) =>
  oauth().token({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    resource: config().openapi.mcpUrl,
    ...params,
  });

const stillActive = async (accessToken: string) =>
  (await findActiveAccessToken(t.db, hashSecret(config().tokenHashKey, accessToken))) !== undefined;

describe('a spent authorization code', () => {
  it('presented by another client with any verifier: invalid_grant, and the owner keeps its grant', async () => {
    const a = await spentCode();
    const b = await oauth().register({ client_name: 'Someone else' });
    const response = await present(a.code, { client_id: b.client_id, code_verifier: 'x' });
    expect(await stillActive(a.accessToken)).toBe(true);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toBe('invalid_grant');
    expect(response.json().error_description).not.toContain('revoked');
  });

  it("presented by another client with the owner's verifier: the owner keeps its grant", async () => {
    const a = await spentCode();
    const b = await oauth().register({ client_name: 'Someone else' });
    const response = await present(a.code, { client_id: b.client_id, code_verifier: a.verifier });
    expect(response.json().error).toBe('invalid_grant');
    expect(await stillActive(a.accessToken)).toBe(true);
  });

  it('presented by its own public client with a wrong verifier: invalid_grant, nothing revoked', async () => {
    const a = await spentCode();
    const response = await present(a.code, { client_id: a.owner.client_id, code_verifier: 'x'.repeat(43) });
    expect(response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('PKCE verification failed'),
    });
    expect(await stillActive(a.accessToken)).toBe(true);
  });

  it('replayed by its own public client with its verifier: refused, and what it issued is revoked', async () => {
    const a = await spentCode();
    const response = await present(a.code, { client_id: a.owner.client_id, code_verifier: a.verifier });
    expect(response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('tokens it issued are revoked'),
    });
    expect(await stillActive(a.accessToken)).toBe(false);
  });

  it('replayed by its own confidential client, authenticated: revoked', async () => {
    const a = await spentCode({ token_endpoint_auth_method: 'client_secret_post' });
    const response = await present(a.code, { client_id: a.owner.client_id, code_verifier: a.verifier, ...a.secret });
    expect(response.json().error_description).toContain('tokens it issued are revoked');
    expect(await stillActive(a.accessToken)).toBe(false);
  });
});
