// The failure lab's scenarios at the authorization server, through the real app and PostgreSQL: with
// a scenario off the endpoint answers as always; switched on (as `pnpm lab on` does, from another
// connection) it fails exactly as the catalogue says, from the very next request.
import type { LabScenarioName } from '@enginy/config/failure-lab';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { createDb, type Db } from '@enginy/db/client';
import { switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { findToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { hashSecret } from '@enginy/security/tokens';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient } from '@enginy/testing/oauth-client';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
/** The CLI's connection: not the app's. */
let cli: Db;
let app: FastifyInstance;
let clientId: string;
let session: { cookie: string; csrfToken: string };
const config = () => testConfig(t.url);
const oauth = () => oauthClient(injectTransport(app), config());

beforeAll(async () => {
  t = await createTestDatabase();
  cli = createDb(t.url, { max: 1 });
  app = await buildApp(config(), { db: t.db });
  await app.ready();
  clientId = (await oauth().register()).client_id;
  session = await oauth().signIn();
});
afterAll(async () => {
  await app?.close();
  await cli?.destroy();
  await t?.drop();
});
afterEach(() => switchAllLabOff(cli));

const labOn = (scenario: LabScenarioName, options: Record<string, number> = {}, workspaceId: string | null = null) =>
  switchLabOn(cli, { scenario, workspaceId, options, remaining: options.count ?? null, by: 'cli:test' });

async function tokens() {
  const { code, verifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
  return oauth().token({
    grant_type: 'authorization_code',
    code,
    code_verifier: verifier,
    redirect_uri: REDIRECT_URI,
    client_id: clientId,
    resource: config().openapi.mcpUrl,
  });
}
const refresh = (refreshToken: string) =>
  oauth().token({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId });
const storedLifetime = async (accessToken: string) => {
  const row = await findToken(t.db, hashSecret(config().tokenHashKey, accessToken));
  return Math.round(((row?.expiresAt.getTime() ?? 0) - Date.now()) / 1000);
};

describe('expire-access', () => {
  it('off: a token lives the configured hour', async () => {
    const body = (await tokens()).json();
    expect(body.expires_in).toBe(3600);
    expect(await storedLifetime(body.access_token)).toBeGreaterThan(3590);
  });

  it('on: tokens issued from now on live N seconds, by code and by refresh, and expires_in says so', async () => {
    await labOn('expire-access', { seconds: 5 });
    const first = (await tokens()).json();
    expect(first.expires_in).toBe(5);
    expect(await storedLifetime(first.access_token)).toBeLessThanOrEqual(5);
    const refreshed = (await refresh(first.refresh_token)).json();
    expect(refreshed.expires_in).toBe(5);
    expect(await storedLifetime(refreshed.access_token)).toBeLessThanOrEqual(5);
    // The refresh token keeps its own lifetime: the client can refresh.
    const refreshRow = await findToken(t.db, hashSecret(config().tokenHashKey, refreshed.refresh_token));
    expect(refreshRow?.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3600_000);
  });

  it("on for another workspace: this workspace's tokens are untouched", async () => {
    await labOn('expire-access', { seconds: 5 }, SEED_IDS.globex);
    expect((await tokens()).json().expires_in).toBe(3600);
  });
});

describe('token-unavailable', () => {
  it('on --count 2: the next two /token requests answer 503 with Retry-After and spend nothing; the third works', async () => {
    await labOn('token-unavailable', { count: 2 });
    const { code, verifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    const exchange = () =>
      oauth().token({
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
        resource: config().openapi.mcpUrl,
      });
    for (const attempt of [1, 2]) {
      const refused = await exchange();
      expect(refused.statusCode, `attempt ${attempt}`).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(refused.json()).toMatchObject({ error: 'temporarily_unavailable' });
    }
    // The code was not spent by the refused attempts.
    const third = await exchange();
    expect(third.statusCode).toBe(200);
    expect(third.json().access_token).toMatch(/^eat_/);
  });
});

describe('no-dcr', () => {
  const metadata = async () =>
    (await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' })).json();
  const registerAt = (url: string) =>
    app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: { client_name: 'x', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' },
    });

  it('off: metadata names the registration endpoint and registration works', async () => {
    expect((await metadata()).registration_endpoint).toBe(`${config().auth.issuer}/register`);
    expect((await registerAt('/register')).statusCode).toBe(201);
  });

  it('on: metadata drops registration_endpoint, /register and /oauth/register answer 404 in JSON; registered clients keep working', async () => {
    await labOn('no-dcr');
    const document = await metadata();
    expect(document).not.toHaveProperty('registration_endpoint');
    expect(document.client_id_metadata_document_supported).toBe(true);
    for (const url of ['/register', '/oauth/register']) {
      const refused = await registerAt(url);
      expect(refused.statusCode).toBe(404);
      expect(refused.json()).toEqual({
        error: 'not_found',
        error_description: expect.stringContaining('Dynamic client registration is switched off'),
      });
    }
    expect((await tokens()).statusCode).toBe(200);
  });
});

describe('refresh-no-grace', () => {
  it('off: an identical retry within the grace gets the same answer', async () => {
    const first = (await tokens()).json();
    const a = await refresh(first.refresh_token);
    const b = await refresh(first.refresh_token);
    expect(b.statusCode).toBe(200);
    expect(b.json()).toEqual(a.json());
  });

  it('on: a second refresh of the same token is reuse: invalid_grant, and the grant is revoked', async () => {
    await labOn('refresh-no-grace', {}, SEED_IDS.acme);
    const first = (await tokens()).json();
    const a = await refresh(first.refresh_token);
    expect(a.statusCode).toBe(200);
    const b = await refresh(first.refresh_token);
    expect(b.statusCode).toBe(400);
    expect(b.json().error).toBe('invalid_grant');
    const row = await findToken(t.db, hashSecret(config().tokenHashKey, a.json().refresh_token));
    expect(row?.grantRevokedAt).not.toBeNull();
  });
});

describe('forget-client', () => {
  it('off: a registered client authorizes and redeems', async () => {
    expect((await tokens()).statusCode).toBe(200);
  });

  it('on: clients registered before are invalid_client at /authorize and /token; a new registration works; off brings them back', async () => {
    const { code, verifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    await labOn('forget-client');
    const authorize = await oauth().authorize({ clientId, challenge: 'x'.repeat(43) });
    expect(authorize.statusCode).toBe(400);
    expect(authorize.body).toContain(`Unknown client_id ${clientId}; register the client again`);
    const token = await oauth().token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      resource: config().openapi.mcpUrl,
    });
    expect(token.statusCode).toBe(401);
    expect(token.json()).toEqual({
      error: 'invalid_client',
      error_description: `Unknown client_id ${clientId}; register the client again`,
    });
    // Registering again, identically, gives a new client that works (not the forgotten one back).
    const fresh = await oauth().register();
    expect(fresh.client_id).not.toBe(clientId);
    const again = await oauth().approvedCode(session, SEED_IDS.acme, { clientId: fresh.client_id });
    expect(again.code).not.toBe('');
    await switchAllLabOff(cli);
    // Nothing was deleted: the code refused above is still good.
    const redeemed = await oauth().token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
      client_id: clientId,
      resource: config().openapi.mcpUrl,
    });
    expect(redeemed.statusCode).toBe(200);
  });
});

describe('iss-mismatch', () => {
  it('off: the authorization response carries this issuer', async () => {
    const { redirect } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    expect(redirect.searchParams.get('iss')).toBe(config().auth.issuer);
  });

  it('on: the authorization response carries another iss; metadata still names the true issuer', async () => {
    await labOn('iss-mismatch');
    const { redirect, code } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    expect(code).not.toBe('');
    expect(redirect.searchParams.get('iss')).toBe(`${config().auth.issuer}/failure-lab-wrong-issuer`);
    const metadata = await app.inject({ method: 'GET', url: '/.well-known/oauth-authorization-server' });
    expect(metadata.json().issuer).toBe(config().auth.issuer);
  });
});

describe('issuer-moved', () => {
  const moved = () => `${config().auth.issuer}/v2`;
  const atMoved = () =>
    oauthClient(injectTransport(app), config(), {
      endpoints: { registration: '/v2/register', authorization: '/v2/authorize', token: '/v2/token' },
    });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('off: the second issuer does not exist (404 at its metadata and every endpoint)', async () => {
    for (const url of ['/.well-known/oauth-authorization-server/v2', '/v2/.well-known/openid-configuration'])
      expect((await get(url)).statusCode).toBe(404);
    const register = await app.inject({
      method: 'POST',
      url: '/v2/register',
      headers: { 'content-type': 'application/json' },
      payload: { redirect_uris: [REDIRECT_URI] },
    });
    expect(register.statusCode).toBe(404);
    expect(register.json().error_description).toContain("exists only while the failure lab's issuer-moved is on");
    expect((await oauth().authorize({ clientId, challenge: 'x'.repeat(43) })).statusCode).toBe(302);
  });

  it('on: a working second issuer at <issuer>/v2; the old issuer’s client, code and refresh token are refused there', async () => {
    const old = (await tokens()).json();
    const { code: oldCode, verifier: oldVerifier } = await oauth().approvedCode(session, SEED_IDS.acme, { clientId });
    await labOn('issuer-moved');

    // RFC 8414 §3.1: the metadata of an issuer with a path is at the path-inserted well-known URL.
    const metadata = (await get('/.well-known/oauth-authorization-server/v2')).json();
    expect(metadata).toMatchObject({
      issuer: moved(),
      authorization_endpoint: `${moved()}/authorize`,
      token_endpoint: `${moved()}/token`,
      registration_endpoint: `${moved()}/register`,
      revocation_endpoint: `${moved()}/revoke`,
    });
    expect((await get('/v2/.well-known/openid-configuration')).json().issuer).toBe(moved());
    // The old issuer keeps answering as itself.
    expect((await get('/.well-known/oauth-authorization-server')).json().issuer).toBe(config().auth.issuer);

    // The old issuer's client is unknown at the new one (SEP-2352).
    const refusedAuthorize = await atMoved().authorize({ clientId, challenge: 'x'.repeat(43) });
    expect(refusedAuthorize.statusCode).toBe(400);
    expect(refusedAuthorize.body).toContain(`Unknown client_id ${clientId} at this issuer; register the client again`);
    for (const params of [
      { grant_type: 'refresh_token', refresh_token: old.refresh_token, client_id: clientId },
      {
        grant_type: 'authorization_code',
        code: oldCode,
        code_verifier: oldVerifier,
        redirect_uri: REDIRECT_URI,
        client_id: clientId,
      },
    ]) {
      const refused = await atMoved().token(params);
      expect(refused.statusCode).toBe(401);
      expect(refused.json().error).toBe('invalid_client');
    }

    // Registering at the new issuer gives a new client, which goes the whole way there: iss is the new issuer.
    const fresh = (await atMoved().register()).client_id;
    expect(fresh).not.toBe(clientId);
    const { code, redirect, verifier } = await atMoved().approvedCode(session, SEED_IDS.acme, { clientId: fresh });
    expect(redirect.searchParams.get('iss')).toBe(moved());
    const issued = await atMoved().redeem(fresh, code, verifier);
    expect(issued.access_token).toMatch(/^eat_/);
    const rotated = await atMoved().refresh(fresh, issued.refresh_token);
    expect(rotated.refresh_token).not.toBe(issued.refresh_token);
    // …and is unknown at the old issuer.
    const atOld = await oauth().token({
      grant_type: 'refresh_token',
      refresh_token: rotated.refresh_token,
      client_id: fresh,
    });
    expect(atOld.statusCode).toBe(401);
    expect(atOld.json().error_description).toBe(`Unknown client_id ${fresh} at this issuer; register the client again`);

    // The old issuer's own credentials still work there: nothing was taken from it.
    expect((await refresh(old.refresh_token)).statusCode).toBe(200);
  });
});

describe('two replicas', () => {
  it('a switch applies to the very next request at each, and a count is shared: 3 refusals between them, not 3 each', async () => {
    const replica = await buildApp(config(), { db: t.db });
    await replica.ready();
    try {
      const at = (target: FastifyInstance) =>
        target.inject({
          method: 'POST',
          url: '/token',
          payload: `grant_type=refresh_token&refresh_token=ert_unknown&client_id=${clientId}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
      // Both have read the (empty) switches and remember them.
      expect((await at(app)).statusCode).toBe(400);
      expect((await at(replica)).statusCode).toBe(400);
      await labOn('token-unavailable', { count: 3 });
      const statuses = [];
      for (const target of [replica, app, replica, app, replica, app]) statuses.push((await at(target)).statusCode);
      expect(statuses).toEqual([503, 503, 503, 400, 400, 400]);
    } finally {
      await replica.close();
    }
  });
});
