import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { SEED_IDS } from '@enginy/db/seed';
import { CLAUDE_CODE_REDIRECT_URI as REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { injectTransport, oauthClient, pkcePair } from '@enginy/testing/oauth-client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';

let t: TestDatabase;
let app: FastifyInstance;
let clientId: string;
let session: { cookie: string; csrfToken: string };
const config = () => testConfig(t.url);
const ACME = SEED_IDS.acme;
const oauth = () => oauthClient(injectTransport(app), config());

beforeAll(async () => {
  t = await createTestDatabase();
  app = await buildApp(config(), { db: t.db });
  clientId = (
    await oauth().register({
      redirect_uris: [REDIRECT_URI, 'http://127.0.0.1:3118/callback', 'http://localhost:3118/callback/'],
    })
  ).client_id;
  session = await oauth().signIn(); // one sign-in: /session is rate-limited per address
});
afterAll(async () => {
  await app.close();
  await t.drop();
});
beforeEach(async () => {
  await t.db
    .updateTable('workspace_mcp_settings')
    .set({
      enabled: true,
      allowed_redirect_uris: [REDIRECT_URI],
      allowed_client_ids: [],
      policy_scopes: ['WORKSPACE_READ', 'CONTACTS_READ'],
      policy_active: true,
    })
    .where('workspace_id', '=', ACME)
    .execute();
});

async function consent(redirectUri: string, scope?: string) {
  const requestId = await oauth().startAuthorization({
    clientId,
    redirectUri,
    challenge: pkcePair().challenge,
    scope,
    state: 'xyz',
  });
  const view = await app.inject({
    method: 'GET',
    url: `/consent/${requestId}?workspace=${ACME}`,
    headers: { cookie: session.cookie },
  });
  const post = await oauth().consent(session, requestId, { workspaceId: ACME, decision: 'approve' });
  return { view, post };
}

describe('workspace checks at the consent step (checks 2–5)', () => {
  it.each([
    [
      'redirect URI not in the allowlist (host alias)',
      { enabled: true },
      'http://127.0.0.1:3118/callback',
      undefined,
      'redirect_uri_not_allowed',
      'redirect_uri is not allowed',
    ],
    [
      'redirect URI not in the allowlist (trailing slash)',
      { enabled: true },
      'http://localhost:3118/callback/',
      undefined,
      'redirect_uri_not_allowed',
      'redirect_uri is not allowed',
    ],
    [
      'client not pinned',
      { allowed_client_ids: ['someone-else'] },
      REDIRECT_URI,
      undefined,
      'client_id_not_allowed',
      'OAuth client_id is not allowed',
    ],
    ['MCP disabled', { enabled: false }, REDIRECT_URI, undefined, 'mcp_disabled', 'MCP is disabled for this workspace'],
    [
      'policy inactive',
      { policy_active: false },
      REDIRECT_URI,
      undefined,
      'policy_inactive',
      'The MCP policy of this workspace is inactive',
    ],
    [
      'policy empty',
      { policy_scopes: [] },
      REDIRECT_URI,
      undefined,
      'policy_empty',
      'The MCP policy of this workspace has no scopes',
    ],
  ])(
    '%s → an error page, no redirect, an audit event',
    async (_rule, settings, redirectUri, scope, reason, message) => {
      await t.db.updateTable('workspace_mcp_settings').set(settings).where('workspace_id', '=', ACME).execute();
      const { view, post } = await consent(redirectUri, scope);
      expect(view.statusCode).toBe(200);
      expect(view.json().decision).toMatchObject({ outcome: 'denied', reason, message, redirectTo: null });
      // Approving anyway is refused and never yields a redirect to the client.
      expect(post.statusCode).toBe(403);
      expect(post.json()).toEqual({ error: 'forbidden', error_description: message });
      expect(post.json().redirectTo).toBeUndefined();
      const [event] = await listAuthEvents(t.db, { workspaceId: ACME, limit: 1 });
      expect(event).toMatchObject({ outcome: 'denied', reason, client_id: clientId, redirect_uri: redirectUri });
    },
  );

  it('shows what was sent, what is allowed, and a hint for a near miss', async () => {
    const { view } = await consent('http://127.0.0.1:3118/callback');
    const decision = view.json().decision;
    expect(decision.details).toEqual({ sent: 'http://127.0.0.1:3118/callback', allowed: [REDIRECT_URI] });
    expect(decision.hint).toContain('host (127.0.0.1 vs localhost)');
  });

  it('names the exact client ID to add', async () => {
    await t.db
      .updateTable('workspace_mcp_settings')
      .set({ allowed_client_ids: ['x'] })
      .where('workspace_id', '=', ACME)
      .execute();
    const { view } = await consent(REDIRECT_URI);
    expect(view.json().decision.hint).toContain(clientId);
    expect(view.json().decision.details.clientId).toBe(clientId);
  });

  it('scopes above the ceiling go back to the client with invalid_scope, state and iss', async () => {
    const { view, post } = await consent(REDIRECT_URI, 'CONTACTS_WRITE offline_access');
    const redirect = new URL(view.json().decision.redirectTo);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(REDIRECT_URI);
    expect(Object.fromEntries(redirect.searchParams)).toEqual({
      error: 'invalid_scope',
      error_description: 'Requested scopes are not allowed',
      state: 'xyz',
      iss: config().auth.issuer,
    });
    expect(new URL(post.json().redirectTo).searchParams.get('error')).toBe('invalid_scope');
    const [event] = await listAuthEvents(t.db, { workspaceId: ACME, limit: 1 });
    expect(event).toMatchObject({
      outcome: 'denied',
      reason: 'scopes_not_allowed',
      requested_scopes: ['CONTACTS_WRITE'],
    });
    expect(event?.details).toMatchObject({ offending: ['CONTACTS_WRITE'] });
  });

  it('Deny returns access_denied with state and iss', async () => {
    const requestId = await oauth().startAuthorization({
      clientId,
      challenge: pkcePair().challenge,
      state: 'deny-state',
    });
    const response = await oauth().consent(session, requestId, { workspaceId: ACME, decision: 'deny' });
    const redirect = new URL(response.json().redirectTo);
    expect(redirect.searchParams.get('error')).toBe('access_denied');
    expect(redirect.searchParams.get('state')).toBe('deny-state');
    expect(redirect.searchParams.get('iss')).toBe(config().auth.issuer);
  });

  it('approval without the CSRF token or from another origin is refused', async () => {
    const requestId = await oauth().startAuthorization({ clientId, challenge: pkcePair().challenge });
    const noToken = await oauth().consent({ ...session, csrfToken: 'wrong' }, requestId, {
      workspaceId: ACME,
      decision: 'approve',
    });
    expect(noToken.statusCode).toBe(403);
    const crossSite = await app.inject({
      method: 'POST',
      url: `/consent/${requestId}`,
      headers: { origin: 'http://evil.example', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      payload: { workspaceId: ACME, decision: 'approve' },
    });
    expect(crossSite.statusCode).toBe(403);
  });

  it('a member cannot approve for a workspace they do not belong to', async () => {
    const requestId = await oauth().startAuthorization({ clientId, challenge: pkcePair().challenge });
    const session = await oauth().signIn({ email: 'member@enginy.local', password: 'enginy-dev' });
    const response = await oauth().consent(session, requestId, { workspaceId: SEED_IDS.globex, decision: 'approve' });
    expect(response.statusCode).toBe(403);
  });
});

describe('the consent view names what the user already granted the same client here (step-up)', () => {
  it('empty for a first authorization; the earlier live grant after one; nothing once it is revoked', async () => {
    const stepUpClient = (await oauth().register({ redirect_uris: [REDIRECT_URI] })).client_id;
    const view = async () =>
      oauth().consentView(
        session,
        await oauth().startAuthorization({
          clientId: stepUpClient,
          redirectUri: REDIRECT_URI,
          challenge: pkcePair().challenge,
          scope: 'WORKSPACE_READ CONTACTS_READ',
        }),
        ACME,
      );
    expect((await view()).request.alreadyGranted).toEqual([]);

    const first = await oauth().authorizeAndRedeem(session, {
      clientId: stepUpClient,
      scope: 'WORKSPACE_READ',
      workspaceId: ACME,
    });
    const after = await view();
    expect(after.request.alreadyGranted).toEqual(['WORKSPACE_READ']);
    expect(after.decision).toEqual({ outcome: 'allowed', scopes: ['WORKSPACE_READ', 'CONTACTS_READ'] });
    // Another workspace of the user's holds no grant of this client.
    expect(
      (await oauth().consentView(session, await startFor(stepUpClient), SEED_IDS.globex)).request.alreadyGranted,
    ).toEqual([]);

    // RFC 7009 revocation of the refresh token ends the grant.
    const revoked = await app.inject({
      method: 'POST',
      url: '/revoke',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ token: first.refresh_token, client_id: stepUpClient }).toString(),
    });
    expect(revoked.statusCode).toBe(200);
    expect((await view()).request.alreadyGranted).toEqual([]);
  });
});

const startFor = (id: string) =>
  oauth().startAuthorization({ clientId: id, redirectUri: REDIRECT_URI, challenge: pkcePair().challenge });

describe('check 1 at /authorize: unknown client or unregistered redirect URI → error page, never a redirect', () => {
  it.each([
    ['unknown client', () => 'no-such-client', REDIRECT_URI, 'unknown_client', 'Unknown client_id no-such-client'],
    [
      'unregistered redirect URI',
      () => clientId,
      'http://localhost:4444/callback',
      'redirect_uri_not_registered',
      'redirect_uri is not registered for this client',
    ],
  ])('%s', async (_rule, id, redirectUri, reason, message) => {
    const q = new URLSearchParams({
      response_type: 'code',
      client_id: id(),
      redirect_uri: redirectUri,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
    });
    const html = await app.inject({ method: 'GET', url: `/authorize?${q}`, headers: { accept: 'text/html' } });
    expect(html.statusCode).toBe(400);
    expect(html.headers.location).toBeUndefined();
    expect(html.headers['x-frame-options']).toBe('DENY');
    expect(html.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(html.headers['access-control-allow-origin']).toBeUndefined();
    expect(html.body).toContain(message);
    const json = await app.inject({ method: 'GET', url: `/authorize?${q}` });
    expect(json.json().error_description).toContain(message);
    const [event] = await listAuthEvents(t.db, { limit: 1 });
    expect(event).toMatchObject({ outcome: 'denied', reason, client_id: id(), redirect_uri: redirectUri });
  });

  it.each([
    ['no PKCE', { code_challenge: undefined }, 'invalid_request'],
    ['plain PKCE', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['token response type', { response_type: 'token' }, 'unsupported_response_type'],
    ['another resource', { resource: 'http://localhost:9/mcp' }, 'invalid_target'],
  ])('%s → back to the (validated) client with an error', async (_rule, override, error) => {
    const base: Record<string, string | undefined> = {
      response_type: 'code',
      client_id: clientId,
      redirect_uri: REDIRECT_URI,
      code_challenge: pkcePair().challenge,
      code_challenge_method: 'S256',
      state: 's',
      ...override,
    };
    const q = new URLSearchParams(Object.entries(base).filter((e): e is [string, string] => e[1] !== undefined));
    const response = await app.inject({ method: 'GET', url: `/authorize?${q}` });
    expect(response.statusCode).toBe(302);
    const location = new URL(response.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT_URI);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('s');
    expect(location.searchParams.get('iss')).toBe(config().auth.issuer);
  });
});
