import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { listAuthEvents } from '@enginy/db/queries/audit-events';
import { SEED_IDS } from '@enginy/db/seed';
import { describe, expect, it } from 'vitest';
import { approveInBrowser } from '../src/browser.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser();

async function register(redirectUri: string, origin = e2e.stack.config.auth.issuer, path = '/register') {
  const response = await fetch(`${origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      client_name: 'Claude Code (enginy)',
      redirect_uris: [redirectUri],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { client_id: string }).client_id;
}

function authorizeUrl(clientId: string, redirectUri: string, scope?: string) {
  const challenge = createHash('sha256').update(randomBytes(32).toString('base64url')).digest('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'b-state',
    resource: e2e.stack.config.openapi.mcpUrl,
  });
  if (scope) q.set('scope', scope);
  return `${e2e.stack.config.auth.issuer}/authorize?${q}`;
}

describe('denials in the browser show the exact product strings and never reach the client', () => {
  it.each([
    [
      'redirect URI not allowlisted',
      'http://127.0.0.1:3118/callback',
      MEMBER,
      undefined,
      undefined,
      'redirect_uri is not allowed',
      'redirect_uri_not_allowed',
    ],
    [
      'MCP disabled in the chosen workspace',
      CLAUDE_CODE_REDIRECT_URI,
      ADMIN,
      'Globex Sales',
      undefined,
      'MCP is disabled for this workspace',
      'mcp_disabled',
    ],
    [
      'unknown client (check 1, served by the auth service)',
      CLAUDE_CODE_REDIRECT_URI,
      MEMBER,
      undefined,
      'no-such-client',
      'Unknown client_id no-such-client; register the client again',
      'unknown_client',
    ],
  ])('%s', async (_rule, redirectUri, who, workspace, fixedClientId, message, reason) => {
    // Globex allowlists the callback, so the check that fails there is the next one: MCP is off.
    await e2e.db
      .updateTable('workspace_mcp_settings')
      .set({ allowed_redirect_uris: [CLAUDE_CODE_REDIRECT_URI] })
      .where('workspace_id', '=', SEED_IDS.globex)
      .execute();
    const clientId = fixedClientId ?? (await register(redirectUri));
    const step = await approveInBrowser(authorizeUrl(clientId, redirectUri), who, {
      browser: e2e.browser,
      workspace,
      redirectUri,
    });
    expect(step.callback).toBeUndefined();
    expect(step.errorText).toBe(message);
    const [event] = await listAuthEvents(e2e.db, { limit: 1 });
    expect(event).toMatchObject({ outcome: 'denied', reason, client_id: clientId });
  });

  it('a client pinned out of the allowlist sees "OAuth client_id is not allowed" with its client ID', async () => {
    await e2e.db
      .updateTable('workspace_mcp_settings')
      .set({ allowed_client_ids: ['pinned-client'] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    try {
      const clientId = await register(CLAUDE_CODE_REDIRECT_URI);
      const step = await approveInBrowser(authorizeUrl(clientId, CLAUDE_CODE_REDIRECT_URI), MEMBER, {
        browser: e2e.browser,
      });
      expect(step.errorText).toBe('OAuth client_id is not allowed');
    } finally {
      await e2e.db
        .updateTable('workspace_mcp_settings')
        .set({ allowed_client_ids: [] })
        .where('workspace_id', '=', SEED_IDS.acme)
        .execute();
    }
  });

  it('scopes above the ceiling go back to the client with invalid_scope', async () => {
    const clientId = await register(CLAUDE_CODE_REDIRECT_URI);
    const step = await approveInBrowser(authorizeUrl(clientId, CLAUDE_CODE_REDIRECT_URI, 'MESSAGING_WRITE'), MEMBER, {
      browser: e2e.browser,
    });
    expect(step.callback?.searchParams.get('error')).toBe('invalid_scope');
    expect(step.callback?.searchParams.get('error_description')).toBe('Requested scopes are not allowed');
    expect(step.callback?.searchParams.get('iss')).toBe(e2e.stack.config.auth.issuer);
  });

  it('Deny returns access_denied with state and iss', async () => {
    const clientId = await register(CLAUDE_CODE_REDIRECT_URI);
    const step = await approveInBrowser(authorizeUrl(clientId, CLAUDE_CODE_REDIRECT_URI), MEMBER, {
      browser: e2e.browser,
      deny: true,
    });
    expect(Object.fromEntries(step.callback?.searchParams ?? [])).toMatchObject({
      error: 'access_denied',
      state: 'b-state',
      iss: e2e.stack.config.auth.issuer,
    });
  });
});

describe('pages are not frameable', () => {
  it('sends X-Frame-Options and CSP frame-ancestors on the web app and the auth pages', async () => {
    for (const url of [
      `${e2e.stack.config.web.url}/consent?request=x`,
      `${e2e.stack.config.auth.issuer}/authorize?client_id=nope`,
    ]) {
      const response = await fetch(url, { headers: { accept: 'text/html' } });
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
  });
});

describe('metadata and compatibility aliases answer JSON on both origins', () => {
  it('serves RFC 8414 metadata at both well-known names with CORS *', async () => {
    for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration']) {
      const response = await fetch(`${e2e.stack.config.auth.issuer}${path}`);
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
      expect(await response.json()).toMatchObject({
        issuer: e2e.stack.config.auth.issuer,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
      });
    }
  });

  it.each(['auth', 'openapi'] as const)('token and register aliases on the %s origin answer JSON', async (service) => {
    const origin = service === 'auth' ? e2e.stack.config.auth.issuer : e2e.stack.config.openapi.url;
    for (const path of ['/token', '/oauth/token']) {
      const response = await fetch(`${origin}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=authorization_code&code=nope&client_id=nope',
      });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toContain('application/json');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({ error: 'invalid_client' });
    }
    for (const path of ['/register', '/oauth/register']) {
      const clientId = await register(CLAUDE_CODE_REDIRECT_URI, origin, path);
      expect(clientId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it.each(['auth', 'openapi'] as const)(
    'authorize aliases on the %s origin reach the issuer and answer JSON to non-browsers',
    async (service) => {
      const origin = service === 'auth' ? e2e.stack.config.auth.issuer : e2e.stack.config.openapi.url;
      for (const path of ['/authorize', '/oauth/authorize']) {
        const response = await fetch(`${origin}${path}?client_id=nope&response_type=code`);
        expect(response.status).toBe(400);
        // The OpenAPI service redirects to the issuer's /authorize; the issuer answers at both paths itself.
        expect(new URL(response.url).origin).toBe(e2e.stack.config.auth.issuer);
        expect(response.headers.get('access-control-allow-origin')).toBeNull();
        expect(await response.json()).toMatchObject({ error: 'invalid_client' });
      }
    },
  );

  it('an unknown client at /token is 401 invalid_client', async () => {
    const response = await fetch(`${e2e.stack.config.auth.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=x&client_id=00000000-0000-4000-8000-000000000000',
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });
});
