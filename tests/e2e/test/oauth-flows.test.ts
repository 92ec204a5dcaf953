import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { newClientCredentials } from '@enginy/security/credentials';
import { hashSecret } from '@enginy/security/tokens';
import { auth, extractWWWAuthenticateParams } from '@modelcontextprotocol/sdk/client/auth.js';
import * as oauth from 'oauth4webapi';
import { describe, expect, it } from 'vitest';
import { approveInBrowser } from '../src/browser.ts';
import { serveJson } from '../src/fixture-server.ts';
import { MemoryOAuthProvider } from '../src/sdk-provider.ts';
import { ADMIN, MEMBER, useStackAndBrowser } from '../src/stack-fixture.ts';

const e2e = useStackAndBrowser({ CIMD_ALLOW_HTTP_LOCALHOST: 'true' });

async function activeToken(accessToken: string) {
  return findActiveAccessToken(e2e.db, hashSecret(e2e.stack.config.tokenHashKey, accessToken));
}

describe('the MCP SDK client auth(): DCR → browser → token', () => {
  it("discovers the issuer through the MCP endpoint's protected-resource metadata, then refreshes with rotation", async () => {
    const { config } = e2e.stack;
    const provider = new MemoryOAuthProvider();
    // As Claude Code does: POST /mcp without a token, then start from the 401 challenge.
    const unauthorized = await fetch(config.openapi.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
    });
    expect(unauthorized.status).toBe(401);
    const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(unauthorized);
    const options = { serverUrl: config.openapi.mcpUrl, resourceMetadataUrl, scope };
    expect(await auth(provider, options)).toBe('REDIRECT');
    const authorizeUrl = provider.authorizationUrl as URL;
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${config.auth.issuer}/authorize`);
    expect(authorizeUrl.searchParams.get('resource')).toBe(config.openapi.mcpUrl);

    // The admin belongs to two workspaces and picks one on the consent page.
    const step = await approveInBrowser(authorizeUrl.href, ADMIN, { browser: e2e.browser, workspace: 'Acme Outreach' });
    const callback = step.callback as URL;
    expect(callback.searchParams.get('iss')).toBe(config.auth.issuer);
    expect(callback.searchParams.get('state')).toBe('sdk-state');
    expect(await auth(provider, { ...options, authorizationCode: callback.searchParams.get('code') as string })).toBe(
      'AUTHORIZED',
    );

    const tokens = provider.saved;
    expect(tokens?.token_type).toBe('Bearer');
    expect(tokens?.expires_in).toBe(3600);
    expect(await activeToken(tokens?.access_token as string)).toMatchObject({
      resource: config.openapi.mcpUrl,
      workspaceId: SEED_IDS.acme,
      mcpEnabled: true,
    });

    // A second auth() with a refresh token rotates it.
    expect(await auth(provider, options)).toBe('AUTHORIZED');
    expect(provider.saved?.refresh_token).not.toBe(tokens?.refresh_token);
    expect(await activeToken(provider.saved?.access_token as string)).toBeDefined();
  });

  it('when discovery fails, completes through the aliases it guesses at the MCP server origin', async () => {
    const { config } = e2e.stack;
    const provider = new MemoryOAuthProvider('Alias-guessing client');
    // A client whose discovery fails (a proxy eating /.well-known, an old client) falls back to
    // /authorize, /token and /register at the MCP server's origin root.
    const fetchFn: typeof fetch = (input, init) =>
      String(input).includes('/.well-known/')
        ? Promise.resolve(new Response('{}', { status: 404 }))
        : fetch(input, init);
    expect(await auth(provider, { serverUrl: config.openapi.mcpUrl, fetchFn })).toBe('REDIRECT');
    const authorizeUrl = provider.authorizationUrl as URL;
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe(`${config.openapi.url}/authorize`);
    const step = await approveInBrowser(authorizeUrl.href, MEMBER, { browser: e2e.browser });
    const code = step.callback?.searchParams.get('code') as string;
    expect(await auth(provider, { serverUrl: config.openapi.mcpUrl, authorizationCode: code, fetchFn })).toBe(
      'AUTHORIZED',
    );
    expect(await activeToken(provider.saved?.access_token as string)).toMatchObject({
      resource: config.openapi.mcpUrl,
    });
  });
});

/** RFC 8414 discovery; oauth4webapi checks that `issuer` equals the URL it asked. */
async function discover() {
  const issuer = new URL(e2e.stack.config.auth.issuer);
  return oauth.processDiscoveryResponse(
    issuer,
    await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', [oauth.allowInsecureRequests]: true }),
  );
}

/** A strict standards client: issuer check, PKCE, `iss` check (RFC 9207), state. */
async function strictFlow(
  client: oauth.Client,
  clientAuth: oauth.ClientAuth,
  who = MEMBER,
  redirectUri = CLAUDE_CODE_REDIRECT_URI,
) {
  const as = await discover();
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint as string);
  url.search = new URLSearchParams({
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: 'CONTACTS_READ offline_access',
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
    resource: e2e.stack.config.openapi.mcpUrl,
  }).toString();
  const step = await approveInBrowser(url.href, who, { browser: e2e.browser });
  const params = oauth.validateAuthResponse(as, client, step.callback as URL, state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, clientAuth, params, redirectUri, verifier, {
    additionalParameters: { resource: e2e.stack.config.openapi.mcpUrl },
    [oauth.allowInsecureRequests]: true,
  });
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
  return { as, tokens };
}

describe('a strict standards client (oauth4webapi)', () => {
  it('discovers, registers, authorizes, exchanges, refreshes and revokes', async () => {
    const as = await discover();
    const registered = await oauth.processDynamicClientRegistrationResponse(
      await oauth.dynamicClientRegistrationRequest(
        as,
        { client_name: 'Strict client', redirect_uris: [CLAUDE_CODE_REDIRECT_URI], token_endpoint_auth_method: 'none' },
        { [oauth.allowInsecureRequests]: true },
      ),
    );
    const client: oauth.Client = { client_id: registered.client_id, token_endpoint_auth_method: 'none' };
    const { tokens } = await strictFlow(client, oauth.None());
    expect(tokens).toMatchObject({ token_type: 'bearer', expires_in: 3600, scope: 'CONTACTS_READ' });

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(as, client, oauth.None(), tokens.refresh_token as string, {
        [oauth.allowInsecureRequests]: true,
      }),
    );
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);
    await oauth.processRevocationResponse(
      await oauth.revocationRequest(as, client, oauth.None(), refreshed.refresh_token as string, {
        [oauth.allowInsecureRequests]: true,
      }),
    );
    expect(await activeToken(refreshed.access_token)).toBeUndefined();
  });

  it('uses a client ID metadata document: portless loopback redirect URIs accept :3118', async () => {
    const docs = await serveJson((base) => ({
      '/oauth/client.json': {
        client_id: `${base}/oauth/client.json`,
        client_name: 'Claude Code (CIMD)',
        redirect_uris: ['http://localhost/callback', 'http://127.0.0.1/callback'],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      },
    }));
    try {
      const client: oauth.Client = { client_id: `${docs.url}/oauth/client.json`, token_endpoint_auth_method: 'none' };
      const { tokens } = await strictFlow(client, oauth.None());
      const active = await activeToken(tokens.access_token);
      expect(active?.clientId).toBe(`${docs.url}/oauth/client.json`);
    } finally {
      await docs.close();
    }
  });

  it.each([
    ['client_secret_post', (secret: string) => oauth.ClientSecretPost(secret)],
    ['client_secret_basic', (secret: string) => oauth.ClientSecretBasic(secret)],
  ] as const)('a pre-registered confidential client with %s', async (method, clientAuth) => {
    const { clientId, clientSecret } = await createPreregisteredClient(e2e.db, e2e.stack.config.tokenHashKey, {
      ...newClientCredentials(),
      name: `Pre-registered ${method}`,
      redirectUris: [CLAUDE_CODE_REDIRECT_URI],
    });
    const client: oauth.Client = { client_id: clientId, token_endpoint_auth_method: method };
    const { tokens } = await strictFlow(client, clientAuth(clientSecret));
    expect(await activeToken(tokens.access_token)).toMatchObject({ clientId });
    // The wrong secret is 401 invalid_client.
    const as = await discover();
    const wrong = await oauth.refreshTokenGrantRequest(
      as,
      client,
      clientAuth('wrong-secret'),
      tokens.refresh_token as string,
      { [oauth.allowInsecureRequests]: true },
    );
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_client');
  });
});
