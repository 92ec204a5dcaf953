import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { withEffectiveScopes } from '@enginy/policy/effective-scopes';
import { READ_SCOPES } from '@enginy/policy/scopes';
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
let clientId: string;
let session: { cookie: string; csrfToken: string };
const config = () => testConfig(t.url);
const oauth = (target = app) => oauthClient(injectTransport(target), config());

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(config(), { db: t.db });
  clientId = (await oauth().register()).client_id;
  session = await oauth().signIn();
});
afterAll(async () => {
  await app.close();
  await t.drop();
});

const codeFor = (scope?: string) => oauth().approvedCode(session, SEED_IDS.acme, { clientId, scope });
const redeem = (code: string, verifier: string, extra: Record<string, string> = {}) =>
  oauth().token({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
    client_id: clientId,
    resource: config().openapi.mcpUrl,
    ...extra,
  });
const activeToken = async (hash: string) => {
  const row = await findActiveAccessToken(t.db, hash);
  return row && withEffectiveScopes(row);
};
const isAccessActive = async (accessToken: string) =>
  (await findActiveAccessToken(t.db, hashSecret(config().tokenHashKey, accessToken))) !== undefined;

describe('authorization_code grant', () => {
  it('issues an audience-bound Bearer token pair, never cached, with iss in the authorization response', async () => {
    const { code, redirect, verifier } = await codeFor('CONTACTS_READ offline_access');
    expect(redirect.searchParams.get('iss')).toBe(config().auth.issuer);
    expect(redirect.searchParams.get('state')).toBe('st-1');
    const response = await redeem(code, verifier);
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    const body = response.json();
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'CONTACTS_READ' });
    expect(body.access_token).toMatch(/^eat_/);
    expect(body.refresh_token).toMatch(/^ert_/);
    const active = await activeToken(hashSecret(config().tokenHashKey, body.access_token));
    expect(active).toMatchObject({
      resource: config().openapi.mcpUrl,
      workspaceId: SEED_IDS.acme,
      grantedScopes: ['CONTACTS_READ'],
      effectiveScopes: ['CONTACTS_READ'],
      mcpEnabled: true,
    });
    // Tokens are stored only as keyed hashes.
    const stored = await t.db.selectFrom('oauth_tokens').select('token_hash').execute();
    expect(stored.some((row) => row.token_hash === body.access_token)).toBe(false);
  });

  it('a client asking for nothing gets the policy ceiling', async () => {
    const { code, verifier } = await codeFor();
    expect((await redeem(code, verifier)).json().scope).toBe(READ_SCOPES.join(' '));
  });

  it.each([
    ['a wrong PKCE verifier', { code_verifier: 'x'.repeat(43) }, 'invalid_grant', 'PKCE verification failed'],
    [
      'another redirect URI',
      { redirect_uri: 'http://localhost:3118/other' },
      'invalid_grant',
      'redirect_uri does not match',
    ],
    ['another resource', { resource: 'http://localhost:1/mcp' }, 'invalid_target', 'resource must be'],
    ['another client', { client_id: 'someone-else' }, 'invalid_client', 'Unknown client_id'],
  ])('refuses %s with a JSON error', async (_rule, override, error, description) => {
    const { code, verifier } = await codeFor();
    const response = await redeem(code, verifier, override);
    expect(response.statusCode).toBe(error === 'invalid_client' ? 401 : 400);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.json().error).toBe(error);
    expect(response.json().error_description).toContain(description);
  });

  it('a replayed code is refused and revokes what it issued', async () => {
    const { code, verifier } = await codeFor();
    const first = await redeem(code, verifier);
    expect(first.statusCode).toBe(200);
    const replay = await redeem(code, verifier);
    expect(replay.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already used'),
    });
    expect(await isAccessActive(first.json().access_token)).toBe(false);
    const refresh = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: first.json().refresh_token,
      client_id: clientId,
    });
    expect(refresh.json().error).toBe('invalid_grant');
  });

  it('20 parallel redemptions of one code yield exactly one token', async () => {
    const { code, verifier } = await codeFor();
    const responses = await Promise.all(Array.from({ length: 20 }, () => redeem(code, verifier)));
    const ok = responses.filter((r) => r.statusCode === 200);
    expect(ok).toHaveLength(1);
    expect(responses.filter((r) => r.json().error === 'invalid_grant')).toHaveLength(19);
    const grants = await t.db
      .selectFrom('oauth_codes')
      .select('grant_id')
      .where('code_hash', '=', hashSecret(config().tokenHashKey, code))
      .execute();
    const tokens = await t.db
      .selectFrom('oauth_tokens')
      .select('kind')
      .where('grant_id', '=', grants[0]?.grant_id as string)
      .execute();
    expect(tokens.map((row) => row.kind).sort()).toEqual(['access', 'refresh']);
  });

  it('answers unsupported grants and non-form bodies with JSON errors', async () => {
    expect((await oauth().token({ grant_type: 'password', client_id: clientId })).json().error).toBe(
      'unsupported_grant_type',
    );
    const json = await app.inject({ method: 'POST', url: '/token', payload: { grant_type: 'authorization_code' } });
    expect(json.statusCode).toBe(400);
    expect(json.json().error).toBe('invalid_request');
  });
});

describe('refresh_token grant', () => {
  async function tokens() {
    const { code, verifier } = await codeFor();
    return (await redeem(code, verifier)).json<{ access_token: string; refresh_token: string }>();
  }
  const refresh = (refreshToken: string) =>
    oauth().token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });

  it('rotates the refresh token on every use', async () => {
    const first = await tokens();
    const second = await refresh(first.refresh_token);
    expect(second.statusCode).toBe(200);
    expect(second.json().refresh_token).not.toBe(first.refresh_token);
    expect(second.headers['cache-control']).toBe('no-store');
    const third = await refresh(second.json().refresh_token);
    expect(third.statusCode).toBe(200);
  });

  it('an identical retry within the grace period gets the same response', async () => {
    const first = await tokens();
    const [a, b] = await Promise.all([refresh(first.refresh_token), refresh(first.refresh_token)]);
    const c = await refresh(first.refresh_token);
    expect(a.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
    expect(c.json()).toEqual(a.json());
    expect(await isAccessActive(a.json().access_token)).toBe(true);
  });

  it('with REFRESH_RETRY_GRACE_SECONDS=0 there is no grace: an identical retry is reuse and revokes the grant', async () => {
    const strict = await buildApp(testConfig(t.url, { REFRESH_RETRY_GRACE_SECONDS: '0' }), { db: t.db });
    try {
      const first = await tokens();
      const again = () =>
        oauth(strict).token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId });
      const rotated = await again();
      expect(rotated.statusCode).toBe(200);
      const retry = await again();
      expect(retry.json()).toMatchObject({ error: 'invalid_grant' });
      expect(await isAccessActive(rotated.json().access_token)).toBe(false);
    } finally {
      await strict.close();
    }
  });

  it('a retry whose answer was lost, even across a restart of the service, gets the same answer', async () => {
    const first = await tokens();
    const lost = (await refresh(first.refresh_token)).json();
    // The answer never reached the client: the service crashed. A new instance remembers nothing in memory.
    const restarted = await buildApp(config(), { db: t.db });
    try {
      const retry = await oauth(restarted).token({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        client_id: clientId,
      });
      expect(retry.statusCode).toBe(200);
      expect(retry.json()).toEqual(lost);
      expect(await isAccessActive(lost.access_token)).toBe(true);
      expect(
        (
          await oauth(restarted).token({
            grant_type: 'refresh_token',
            refresh_token: lost.refresh_token,
            client_id: clientId,
          })
        ).statusCode,
      ).toBe(200);
    } finally {
      await restarted.close();
    }
    // Stored sealed: the database holds neither the new tokens nor anything the server's keys can open.
    const row = await t.db
      .selectFrom('oauth_tokens')
      .select('retry_answer')
      .where('token_hash', '=', hashSecret(config().tokenHashKey, first.refresh_token))
      .executeTakeFirstOrThrow();
    expect(row.retry_answer).toBeInstanceOf(Buffer);
    expect((row.retry_answer as Buffer).toString('latin1')).not.toContain(lost.refresh_token);
    expect((row.retry_answer as Buffer).toString('latin1')).not.toContain(lost.access_token);
  });

  it('once the new refresh token has been used, the old one again is reuse: the whole grant is revoked', async () => {
    const first = await tokens();
    const second = (await refresh(first.refresh_token)).json();
    const third = (await refresh(second.refresh_token)).json();
    const reuse = await refresh(first.refresh_token);
    expect(reuse.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already used'),
    });
    expect(await isAccessActive(third.access_token)).toBe(false);
    expect((await refresh(third.refresh_token)).json().error).toBe('invalid_grant');
    const grant = await t.db
      .selectFrom('oauth_grants')
      .select('revoked_reason')
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    expect(grant?.revoked_reason).toBe('refresh_token_reuse');
  });

  it('reuse of a spent refresh token after the grace period revokes the whole grant', async () => {
    const first = await tokens();
    const second = (await refresh(first.refresh_token)).json();
    const hash = hashSecret(config().tokenHashKey, first.refresh_token);
    await t.db
      .updateTable('oauth_tokens')
      .set({ spent_at: new Date(Date.now() - config().oauth.refreshRetryGraceSeconds * 1000 - 1_000) })
      .where('token_hash', '=', hash)
      .execute();
    const reuse = await refresh(first.refresh_token);
    expect(reuse.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringContaining('already used'),
    });
    expect(await isAccessActive(second.access_token)).toBe(false);
    expect((await refresh(second.refresh_token)).json().error).toBe('invalid_grant');
  });

  // Security review: within the grace, whoever presents the just-spent token gets the live pair. The
  // grace is now what real clients need (Claude Code retries a lost refresh after 0.5 s), not 30 s.
  it('a replay 15 s after the rotation is reuse, not a retry: the grace is 10 s', async () => {
    expect(config().oauth.refreshRetryGraceSeconds).toBe(10);
    const first = await tokens();
    const second = (await refresh(first.refresh_token)).json();
    const hash = hashSecret(config().tokenHashKey, first.refresh_token);
    await t.db
      .updateTable('oauth_tokens')
      .set({ spent_at: new Date(Date.now() - 15_000) })
      .where('token_hash', '=', hash)
      .execute();
    const replay = await refresh(first.refresh_token);
    expect(replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(replay.body).not.toContain(second.access_token);
    expect(await isAccessActive(second.access_token)).toBe(false);
  });

  it('a retry asking for something else (another scope) is not a retry: reuse', async () => {
    const first = await tokens();
    await refresh(first.refresh_token);
    const other = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: clientId,
      scope: 'CONTACTS_READ',
    });
    expect(other.json().error).toBe('invalid_grant');
  });

  it('a refresh token from another client is refused', async () => {
    const first = await tokens();
    const otherClient = (await oauth().register({ client_name: 'Other' })).client_id;
    const response = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: first.refresh_token,
      client_id: otherClient,
    });
    expect(response.json().error).toBe('invalid_grant');
  });
});

describe('policy changes apply to live tokens', () => {
  it('cuts effective scopes to the current ceiling, and disabling MCP stops the token', async () => {
    const { code, verifier } = await codeFor('CONTACTS_READ LISTS_READ');
    const { access_token: accessToken } = (await redeem(code, verifier)).json();
    const hash = hashSecret(config().tokenHashKey, accessToken);
    await t.db
      .updateTable('workspace_mcp_settings')
      .set({ policy_scopes: ['LISTS_READ'] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    expect((await activeToken(hash))?.effectiveScopes).toEqual(['LISTS_READ']);
    await t.db
      .updateTable('workspace_mcp_settings')
      .set({ enabled: false })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    expect(await activeToken(hash)).toMatchObject({ mcpEnabled: false, effectiveScopes: [] });
    await t.db
      .updateTable('workspace_mcp_settings')
      .set({ enabled: true, policy_scopes: [...READ_SCOPES] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
  });
});

describe('revocation (RFC 7009)', () => {
  it('revoking a refresh token ends the grant; unknown tokens still answer 200', async () => {
    const { code, verifier } = await codeFor();
    const body = (await redeem(code, verifier)).json();
    const revoke = (tokenValue: string) =>
      app.inject({
        method: 'POST',
        url: '/revoke',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ token: tokenValue, client_id: clientId }).toString(),
      });
    expect((await revoke(body.refresh_token)).statusCode).toBe(200);
    expect(await isAccessActive(body.access_token)).toBe(false);
    expect((await revoke('ert_unknown')).statusCode).toBe(200);
  });

  it('revokes a rotated refresh token', async () => {
    const { code, verifier } = await codeFor();
    const first = (await redeem(code, verifier)).json();
    const second = (
      await oauth().token({ grant_type: 'refresh_token', refresh_token: first.refresh_token, client_id: clientId })
    ).json();
    const response = await app.inject({
      method: 'POST',
      url: '/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: second.refresh_token, client_id: clientId }).toString(),
    });
    expect(response.statusCode).toBe(200);
    expect(await isAccessActive(second.access_token)).toBe(false);
  });
});

describe('failed code exchanges in the audit list', () => {
  it('records a PKCE mismatch against the workspace the code was issued for', async () => {
    const { code } = await codeFor('CONTACTS_READ');
    const response = await redeem(code, 'y'.repeat(43));
    expect(response.json().error).toBe('invalid_grant');
    const event = await t.db
      .selectFrom('auth_events')
      .selectAll()
      .where('reason', '=', 'token_exchange_failed')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      workspace_id: SEED_IDS.acme,
      client_id: clientId,
      outcome: 'denied',
      requested_scopes: ['CONTACTS_READ'],
    });
    expect(event.details).toMatchObject({
      error: 'invalid_grant',
      description: expect.stringContaining('PKCE verification failed'),
    });
  });
});
