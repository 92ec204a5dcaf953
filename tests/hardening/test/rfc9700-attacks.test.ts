// Every attack of RFC 9700 (OAuth 2.0 Security Best Current Practice) that applies to this
// authorization server and its MCP resource server, one named test each, against the real stack.
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { issueApiKey } from '@enginy/db/queries/api-keys';
import { demoId, SEED_IDS } from '@enginy/db/seed';
import { newApiKey } from '@enginy/security/credentials';
import { hashSecret } from '@enginy/security/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { unclearError } from '../src/clear-error.ts';
import { callTool, mcpPost } from '../src/mcp.ts';
import { errorOf, form, pkcePair, type Session } from '@enginy/testing/oauth-client';
import { oauthOf } from '../src/oauth.ts';
import { ADMIN, CALLBACK, MEMBER, useStack } from '../src/stack.ts';

// The web app too: the consent page it serves must refuse to be framed.
// CIMD over http on localhost: the metadata-document client below is served by this test.
const h = useStack({ CIMD_ALLOW_HTTP_LOCALHOST: 'true' }, ['openapi', 'auth', 'web']);
const EVIL = 'evil.example';
let admin: Session;
let clientId: string;

beforeAll(async () => {
  admin = await oauthOf(h.stack.config).signIn(ADMIN);
  clientId = (await oauthOf(h.stack.config).register()).client_id;
});

/** GET /authorize with everything valid except what `params` overrides. */
async function authorize(params: Record<string, string | undefined>): Promise<Response> {
  const { config } = h.stack;
  const base = {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: CALLBACK,
    code_challenge: pkcePair().challenge,
    code_challenge_method: 'S256',
    state: 'st',
    resource: config.openapi.mcpUrl,
  };
  return fetch(`${config.auth.issuer}/authorize?${form({ ...base, ...params })}`, { redirect: 'manual' });
}

/** The response sends the user-agent nowhere but (at most) the registered redirect URI or the consent page. */
function expectNoRedirectTo(response: Response, attacker: string): void {
  const location = response.headers.get('location');
  if (location === null) return;
  expect(
    location.startsWith(`${h.stack.config.web.url}/consent?`) || location.startsWith(`${CALLBACK}?`),
    `redirected to ${location}`,
  ).toBe(true);
  expect(location.startsWith(attacker)).toBe(false);
}

async function codeFor(client: string, challenge: string, session: Session = admin): Promise<string> {
  const requestId = await oauthOf(h.stack.config).startAuthorization({ clientId: client, challenge });
  return (await oauthOf(h.stack.config).approve(session, requestId)).searchParams.get('code') ?? '';
}

describe('RFC 9700 §4.1 insufficient redirect URI validation (and §4.11.2 open redirection at the AS)', () => {
  // Each variant differs from the registered http://localhost:3118/callback in one way an attacker
  // (or a lax matcher) could exploit; exact string matching (§2.1, §4.1.3) refuses all of them.
  const variants: [string, string][] = [
    ['host in upper case', 'http://LOCALHOST:3118/callback'],
    ['path in another case', 'http://localhost:3118/Callback'],
    ['trailing slash', 'http://localhost:3118/callback/'],
    ['userinfo naming the attacker', `http://${EVIL}@localhost:3118/callback`],
    ['attacker host after userinfo', `http://localhost:3118@${EVIL}/callback`],
    ['percent-encoded path', 'http://localhost:3118/%63allback'],
    ['encoded slash and dot segments', 'http://localhost:3118/callback%2F..%2F..%2Fevil'],
    ['path traversal', 'http://localhost:3118/callback/../../evil'],
    ['dot segment that normalises to the same path', 'http://localhost:3118/x/../callback'],
    ['extra query parameter', 'http://localhost:3118/callback?next=https://evil.example/'],
    ['fragment', 'http://localhost:3118/callback#@evil.example'],
    ['other port', 'http://localhost:3119/callback'],
    ['127.0.0.1 alias', 'http://127.0.0.1:3118/callback'],
    ['https scheme', 'https://localhost:3118/callback'],
    ['attacker origin', `https://${EVIL}/callback`],
    ['attacker subdomain trick', `http://localhost:3118.${EVIL}/callback`],
    ['backslash', `http://localhost:3118\\@${EVIL}/callback`],
    ['null byte', 'http://localhost:3118/callback%00.evil.example'],
  ];
  for (const [name, uri] of variants) {
    it(`§4.1 redirect_uri variant "${name}" is refused without redirecting: ${uri}`, async () => {
      const response = await authorize({ redirect_uri: uri });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
      expect(await response.json()).toMatchObject({
        error: 'invalid_request',
        error_description: 'redirect_uri is not registered for this client',
      });
    });
  }

  it('§4.11.2 an unknown client_id with an attacker redirect_uri gets an error page, never a redirect', async () => {
    const response = await authorize({ client_id: 'no-such-client', redirect_uri: `https://${EVIL}/cb` });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect((await errorOf(response)).error).toBe('invalid_client');
  });

  it('§4.11.2 a failed check after the redirect URI is validated redirects only to that registered URI, with iss', async () => {
    const response = await authorize({ code_challenge_method: 'plain' });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(CALLBACK);
    expect(location.searchParams.get('iss')).toBe(h.stack.config.auth.issuer);
  });

  it('§4.1 a redirect_uri registered by another client is refused for this one', async () => {
    const other = (await oauthOf(h.stack.config, 'attacker').register({ redirect_uris: [`https://${EVIL}/cb`] }))
      .client_id;
    expect(other).not.toBe(clientId);
    const response = await authorize({ redirect_uri: `https://${EVIL}/cb` });
    expect(response.status).toBe(400);
    expectNoRedirectTo(response, `https://${EVIL}`);
  });

  it('§4.1 dynamic registration refuses redirect URIs that could leak a code (http off loopback, fragments, javascript:)', async () => {
    for (const uri of [
      `http://${EVIL}/cb`,
      'https://example.com/cb#frag',
      'javascript:alert(1)',
      'data:text/html,x',
      '/relative/cb',
    ]) {
      const response = await fetch(`${h.stack.config.auth.issuer}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ client_name: 'x', redirect_uris: [uri] }),
      });
      expect(response.status, uri).toBe(400);
      expect((await errorOf(response)).error).toBe('invalid_redirect_uri');
    }
  });
});

describe('RFC 9700 §4.1 with a client ID metadata document (loopback ports may vary, nothing else)', () => {
  let server: Server;
  let documentUrl: string;
  beforeAll(async () => {
    server = createServer((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          client_id: documentUrl,
          client_name: 'CIMD client',
          redirect_uris: ['http://localhost/callback'],
          token_endpoint_auth_method: 'none',
        }),
      );
      void request;
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    documentUrl = `http://localhost:${(server.address() as AddressInfo).port}/client.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it("§4.1 / RFC 8252 §7.3 another loopback port is accepted for the document's http://localhost/callback", async () => {
    const response = await authorize({ client_id: documentUrl, redirect_uri: 'http://localhost:49152/callback' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')?.startsWith(`${h.stack.config.web.url}/consent?`)).toBe(true);
  });

  const variants: [string, string][] = [
    ['another loopback host', 'http://127.0.0.1:49152/callback'],
    ['another path', 'http://localhost:49152/callback2'],
    ['path traversal', 'http://localhost:49152/callback/../evil'],
    ['trailing slash', 'http://localhost:49152/callback/'],
    ['a query', 'http://localhost:49152/callback?next=x'],
    ['userinfo', `http://${EVIL}@localhost:49152/callback`],
    ['attacker host behind userinfo', `http://localhost:49152@${EVIL}/callback`],
    ['https to the attacker', `https://${EVIL}/callback`],
  ];
  for (const [name, uri] of variants) {
    it(`§4.1 the metadata-document client's redirect URI with ${name} is refused without redirecting: ${uri}`, async () => {
      const response = await authorize({ client_id: documentUrl, redirect_uri: uri });
      expect(response.status).toBe(400);
      expect(response.headers.get('location')).toBeNull();
    });
  }
});

describe('RFC 9700 §4.15 client impersonating the resource owner', () => {
  it("§4.15 no client can get a token of its own (client_credentials) that could pass for a user's", async () => {
    const { config } = h.stack;
    const response = await oauthOf(config).token({
      grant_type: 'client_credentials',
      client_id: clientId,
      scope: 'CONTACTS_READ',
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toBe('unauthorized_client');
    const registration = await fetch(`${config.auth.issuer}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        client_name: 'impersonator',
        redirect_uris: [CALLBACK],
        grant_types: ['client_credentials'],
      }),
    });
    expect(registration.status).toBe(400);
    expect((await errorOf(registration)).error).toBe('invalid_client_metadata');
  });
});

describe('RFC 9700 §4.17 in-browser communication flows', () => {
  it('§4.17 no postMessage or fragment response mode: the response always goes by query to the validated URI', async () => {
    for (const mode of ['web_message', 'fragment', 'form_post']) {
      const requestId = await oauthOf(h.stack.config).startAuthorization({
        clientId,
        challenge: pkcePair().challenge,
        extra: { response_mode: mode },
      });
      const url = await oauthOf(h.stack.config).approve(admin, requestId);
      expect(`${url.origin}${url.pathname}`, mode).toBe(CALLBACK);
      expect(url.hash).toBe('');
      expect(url.searchParams.get('code')).toMatch(/^eac_/);
    }
  });
});

describe('RFC 9700 §4.18 authorization server redirecting to a phishing site', () => {
  it('§4.18 an error before any user interaction is shown, not redirected, when the redirect URI is a registered web URI nobody vouched for', async () => {
    // Open registration: anyone can register a client whose redirect URI is a phishing page, then
    // send victims an /authorize link that fails at once, so the trusted issuer bounces them there.
    const phishing = `https://${EVIL}/login`;
    const attacker = (await oauthOf(h.stack.config, 'phisher').register({ redirect_uris: [phishing] })).client_id;
    for (const params of [
      { code_challenge_method: 'plain' },
      { response_type: 'token' },
      { resource: 'https://other.example/mcp' },
      { code_challenge: undefined },
    ]) {
      const response = await authorize({ client_id: attacker, redirect_uri: phishing, ...params });
      expect(response.status, JSON.stringify(params)).toBe(400);
      expectNoRedirectTo(response, phishing);
      expect(await unclearError(response)).toBeUndefined();
    }
  });

  it('§4.18 a loopback redirect URI (a native app on the same machine) still gets the error redirect', async () => {
    const response = await authorize({ code_challenge_method: 'plain' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')?.startsWith(`${CALLBACK}?`)).toBe(true);
  });
});

describe('RFC 9700 §2.1.1 / §4.8 PKCE', () => {
  it('§4.8 PKCE downgrade to "plain" is refused', async () => {
    const response = await authorize({ code_challenge_method: 'plain', code_challenge: 'a'.repeat(43) });
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toBe('code_challenge_method must be S256');
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('§4.8 a request without code_challenge is refused (no PKCE-less codes exist to downgrade to)', async () => {
    for (const params of [
      { code_challenge: undefined },
      { code_challenge: undefined, code_challenge_method: undefined },
      { code_challenge_method: undefined },
    ]) {
      const response = await authorize(params);
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error'), JSON.stringify(params)).toBe('invalid_request');
      expect(location.searchParams.get('code')).toBeNull();
    }
  });

  it('§4.8 a code redeemed without code_verifier, or with a wrong one, yields no token', async () => {
    const { config } = h.stack;
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const missing = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      redirect_uri: CALLBACK,
      client_id: clientId,
    });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: 'invalid_request',
      error_description: 'code_verifier is required (PKCE)',
    });
    // The challenge itself as verifier ("plain" semantics) must not pass either.
    for (const wrong of [challenge, pkcePair().verifier, '', 'short']) {
      const response = await oauthOf(config).token({
        grant_type: 'authorization_code',
        code,
        code_verifier: wrong,
        redirect_uri: CALLBACK,
        client_id: clientId,
      });
      expect(response.status, wrong).toBe(400);
      expect((await errorOf(response)).error).toBe('invalid_grant');
    }
    // The code was not burnt by the failed attempts: the legitimate client still redeems it.
    const good = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
    });
    expect(good.status).toBe(200);
  });
});

describe('RFC 9700 §4.5 authorization code injection', () => {
  it('§4.5 a code issued to one client cannot be redeemed by another, even with the right verifier', async () => {
    const { config } = h.stack;
    const attacker = (await oauthOf(config, 'attacker').register({ redirect_uris: [CALLBACK] })).client_id;
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const response = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: attacker,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The authorization code was issued to another client',
    });
  });

  it("§4.5 a victim's code injected into the attacker's session (the attacker's own verifier) is refused by PKCE", async () => {
    const { config } = h.stack;
    const victim = pkcePair();
    const attacker = pkcePair();
    const code = await codeFor(clientId, victim.challenge, await oauthOf(config).signIn(MEMBER));
    const response = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: attacker.verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error_description).toBe(
      'PKCE verification failed: code_verifier does not match code_challenge',
    );
  });

  it('§4.5 a replayed code is refused and revokes the tokens it issued', async () => {
    const { config } = h.stack;
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const params = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
    };
    const first = (await (await oauthOf(config).token(params)).json()) as { access_token: string };
    const replay = await oauthOf(config).token(params);
    expect(replay.status).toBe(400);
    expect((await errorOf(replay)).error).toBe('invalid_grant');
    const mcp = await mcpPost(config, first.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(mcp.status).toBe(401);
  });

  it('§4.5 the redirect_uri at the token endpoint must be the one authorized', async () => {
    const { config } = h.stack;
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const response = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: `https://${EVIL}/cb`,
      client_id: clientId,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toBe('invalid_grant');
  });
});

describe('RFC 9700 §4.4 mix-up attacks', () => {
  it('§4.4.2 every authorization response names the issuer (iss, RFC 9207), and the metadata says so', async () => {
    const { config } = h.stack;
    const metadata = (await (
      await fetch(`${config.auth.issuer}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(config.auth.issuer);
    expect(metadata.authorization_response_iss_parameter_supported).toBe(true);

    const success = await oauthOf(config).approve(
      admin,
      await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge }),
    );
    expect(success.searchParams.get('iss')).toBe(config.auth.issuer);
    expect(success.searchParams.get('state')).toBe('st');

    const denied = (await (
      await oauthOf(config).consent(
        admin,
        await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge }),
        { workspaceId: SEED_IDS.acme, decision: 'deny' },
      )
    ).json()) as { redirectTo: string };
    expect(new URL(denied.redirectTo).searchParams.get('iss')).toBe(config.auth.issuer);

    const error = await authorize({ resource: 'https://other.example/mcp' });
    expect(new URL(error.headers.get('location') ?? '').searchParams.get('iss')).toBe(config.auth.issuer);
  });

  it('§4.4.2 an attacker-supplied iss on the request is not echoed back', async () => {
    const { config } = h.stack;
    const requestId = await oauthOf(config).startAuthorization({
      clientId,
      challenge: pkcePair().challenge,
      extra: { iss: `https://${EVIL}` },
    });
    const url = await oauthOf(config).approve(admin, requestId);
    expect(url.searchParams.getAll('iss')).toEqual([config.auth.issuer]);
  });
});

describe('RFC 9700 §4.7 cross-site request forgery', () => {
  it('§4.7 a consent POST without the CSRF token, with a wrong one, or from another origin issues no code', async () => {
    const { config } = h.stack;
    const requestId = await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge });
    const body = { workspaceId: SEED_IDS.acme, decision: 'approve' };
    const attempts: [string, Record<string, string>][] = [
      ['no CSRF token', { 'x-csrf-token': '' }],
      ['wrong CSRF token', { 'x-csrf-token': 'forged-token-forged-token-forged' }],
      ['another origin', { origin: `https://${EVIL}` }],
      ['no origin', { origin: '' }],
    ];
    for (const [name, headers] of attempts) {
      const response = await oauthOf(config).consent(admin, requestId, body, headers);
      expect(response.status, name).toBe(403);
      expect(await unclearError(response), name).toBeUndefined();
    }
    // The request is still pending: the forged posts did not consume or approve it.
    expect((await oauthOf(config).approve(admin, requestId)).searchParams.get('code')).toMatch(/^eac_/);
  });

  it("§4.7 another user's CSRF token does not work with the victim's session", async () => {
    const { config } = h.stack;
    const attacker = await oauthOf(config).signIn(MEMBER);
    const requestId = await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge });
    const response = await oauthOf(config).consent(
      admin,
      requestId,
      { workspaceId: SEED_IDS.acme, decision: 'approve' },
      { 'x-csrf-token': attacker.csrfToken },
    );
    expect(response.status).toBe(403);
  });

  it('§4.7.1 state is returned unchanged so the client can bind the response to its request', async () => {
    const { config } = h.stack;
    const state = 'a/b+c=d&e f';
    const url = await oauthOf(config).approve(
      admin,
      await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge, extra: { state } }),
    );
    expect(url.searchParams.get('state')).toBe(state);
  });

  it('§4.7 the session cookie is HttpOnly and SameSite', async () => {
    const response = await fetch(`${h.stack.config.auth.issuer}/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: h.stack.config.web.url },
      body: JSON.stringify(ADMIN),
    });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=(Lax|Strict)/i);
  });
});

describe('RFC 9700 §4.16 clickjacking', () => {
  it('§4.16 the consent page and the authorization error page refuse to be framed', async () => {
    const { config } = h.stack;
    const consent = await fetch(`${config.web.url}/consent?request=x`);
    expect(consent.status).toBe(200);
    expect(consent.headers.get('x-frame-options')).toBe('DENY');
    expect(consent.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    const errorPage = await fetch(`${config.auth.issuer}/authorize?${form({ client_id: 'nope' })}`, {
      headers: { accept: 'text/html' },
    });
    expect(errorPage.headers.get('x-frame-options')).toBe('DENY');
    expect(errorPage.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});

describe('RFC 9700 §4.3 / §2.1.2 tokens in URLs', () => {
  it('§2.1.2 / §4.6 the implicit grant (response_type=token) is refused: tokens never travel in a URL, so none can be injected', async () => {
    for (const responseType of ['token', 'id_token token', 'code token']) {
      const response = await authorize({ response_type: responseType });
      const location = new URL(response.headers.get('location') ?? '');
      expect(location.searchParams.get('error'), responseType).toBe('unsupported_response_type');
      expect(location.hash).toBe('');
    }
  });

  it('§4.3.2 an access token in the query string (or the body) is never accepted by the MCP endpoint', async () => {
    const { config } = h.stack;
    const { access_token: token } = await oauthOf(config).authorizeAndRedeem(admin);
    const rpc = { jsonrpc: '2.0', id: 1, method: 'tools/list' };
    const query = await fetch(`${config.openapi.mcpUrl}?access_token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(rpc),
    });
    expect(query.status).toBe(401);
    const body = await fetch(config.openapi.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json, text/event-stream' },
      body: new URLSearchParams({ access_token: token }),
    });
    expect([401, 415]).toContain(body.status);
    // The same token in the header works: the refusals above were about where it was sent.
    expect((await mcpPost(config, token, rpc)).status).toBe(200);
  });

  it('§4.3.2 token responses are not cached (Cache-Control: no-store) and carry no token in a Location', async () => {
    const { config } = h.stack;
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const response = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('location')).toBeNull();
  });

  it('§4.2.4 pages of the authorization server send no Referer that could leak a code', async () => {
    const page = await fetch(`${h.stack.config.auth.issuer}/authorize?${form({ client_id: 'nope' })}`, {
      headers: { accept: 'text/html' },
    });
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
  });

  it('§4.12 the authorization endpoint redirects with 302, never 307 (which would replay the POSTed credentials)', async () => {
    const response = await authorize({});
    expect(response.status).toBe(302);
  });
});

describe('RFC 9700 §4.14 refresh token protection', () => {
  it('§4.14 / RFC 6749 §6 a refresh asking for a scope the grant never held is refused (no scope escalation)', async () => {
    const { config } = h.stack;
    const tokens = await oauthOf(config).authorizeAndRedeem(admin, { scope: 'CONTACTS_READ' });
    expect(tokens.scope).toBe('CONTACTS_READ');
    for (const scope of ['CONTACTS_WRITE', 'CONTACTS_READ ALL', 'MESSAGING_WRITE', 'all']) {
      const response = await oauthOf(config).token({
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token,
        client_id: tokens.clientId,
        scope,
      });
      expect(response.status, scope).toBe(400);
      expect((await errorOf(response)).error, scope).toBe('invalid_scope');
    }
    // The refused attempts spent nothing: the refresh token still rotates, with the scope unchanged.
    const rotated = await oauthOf(config).refresh(tokens.clientId, tokens.refresh_token);
    expect(rotated.scope).toBe('CONTACTS_READ');
    const result = await callTool(config, rotated.access_token, 'create_contact', {
      body: { firstName: 'Esc', lastName: 'Alation' },
    });
    expect(result.isError).toBe(true);
    expect(result.content[0]?.text).toContain('Tool requires scopes: CONTACTS_WRITE');
  });

  it.each([
    ['past the identical-retry grace period', 'aged'],
    ['once the rotated refresh token has been used', 'used'],
  ])('§4.14.2 a spent refresh token presented again (%s) revokes the whole grant', async (_when, how) => {
    const { config } = h.stack;
    const tokens = await oauthOf(config).authorizeAndRedeem(admin);
    let rotated = await oauthOf(config).refresh(tokens.clientId, tokens.refresh_token);
    if (how === 'aged') {
      const spentAt = new Date(Date.now() - 11_000); // the grace is 10 s
      await h.db
        .updateTable('oauth_tokens')
        .set({ spent_at: spentAt })
        .where('token_hash', '=', hashSecret(config.tokenHashKey, tokens.refresh_token))
        .execute();
    } else {
      rotated = await oauthOf(config).refresh(tokens.clientId, rotated.refresh_token);
    }
    const reuse = await oauthOf(config).token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: tokens.clientId,
    });
    expect(reuse.status).toBe(400);
    expect((await errorOf(reuse)).error).toBe('invalid_grant');
    const next = await oauthOf(config).token({
      grant_type: 'refresh_token',
      refresh_token: rotated.refresh_token,
      client_id: tokens.clientId,
    });
    expect(next.status).toBe(400);
    expect((await mcpPost(config, rotated.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' })).status).toBe(
      401,
    );
  });

  it('§4.14 a refresh token cannot be used by another client', async () => {
    const { config } = h.stack;
    const tokens = await oauthOf(config).authorizeAndRedeem(admin);
    const other = (await oauthOf(config, 'attacker').register({ redirect_uris: [CALLBACK] })).client_id;
    const response = await oauthOf(config).token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: other,
    });
    expect(response.status).toBe(400);
    expect((await errorOf(response)).error).toBe('invalid_grant');
  });
});

describe('RFC 9700 §2.3 / §4.10 access token privilege restriction (audience and workspace)', () => {
  it('§2.3 a token for workspace A cannot read workspace B, by MCP or by REST', async () => {
    const { config } = h.stack;
    const tokens = await oauthOf(config).authorizeAndRedeem(admin, { scope: 'CONTACTS_READ' });
    const globexContact = demoId('globex', 4, 0);
    const acmeContact = demoId('acme', 4, 0);
    const own = await callTool(config, tokens.access_token, 'get_contact', { pathParams: { contactId: acmeContact } });
    expect(own.isError).not.toBe(true);
    const other = await callTool(config, tokens.access_token, 'get_contact', {
      pathParams: { contactId: globexContact },
    });
    expect(other.isError).toBe(true);
    expect(other.content[0]?.text).toContain('not found');
    const search = await callTool(config, tokens.access_token, 'search_contacts', { body: { pageSize: 100 } });
    const ids = ((search.structuredContent?.data ?? []) as { id: string }[]).map((row) => row.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => id.startsWith('0d100'))).toBe(true);

    const key = await issueApiKey(h.db, config.tokenHashKey, {
      key: newApiKey(),
      workspaceId: SEED_IDS.acme,
      name: 'hardening',
      scopes: ['CONTACTS_READ'],
    });
    const rest = await fetch(`${config.openapi.url}/v1/contacts/${globexContact}`, {
      headers: { 'x-api-key': key.key },
    });
    expect(rest.status).toBe(404);
  });

  it('§2.3 no token can be minted for a workspace whose MCP integration is disabled (approving in Globex is refused)', async () => {
    const { config } = h.stack;
    const requestId = await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge });
    // Globex has MCP disabled: approving there is refused before any code exists.
    const response = await oauthOf(config).consent(admin, requestId, {
      workspaceId: SEED_IDS.globex,
      decision: 'approve',
    });
    expect(response.status).toBe(403);
    expect(await unclearError(response)).toBeUndefined();
  });

  it('§4.10 / RFC 8707 a token cannot be requested for another resource, at /authorize or at /token', async () => {
    const { config } = h.stack;
    const other = 'https://other.example/mcp';
    const denied = await authorize({ resource: other });
    expect(new URL(denied.headers.get('location') ?? '').searchParams.get('error')).toBe('invalid_target');
    const { verifier, challenge } = pkcePair();
    const code = await codeFor(clientId, challenge);
    const exchange = await oauthOf(config).token({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: CALLBACK,
      client_id: clientId,
      resource: other,
    });
    expect(exchange.status).toBe(400);
    expect((await errorOf(exchange)).error).toBe('invalid_target');
    const tokens = await oauthOf(config).authorizeAndRedeem(admin);
    const refreshed = await oauthOf(config).token({
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: tokens.clientId,
      resource: other,
    });
    expect(refreshed.status).toBe(400);
    expect((await errorOf(refreshed)).error).toBe('invalid_target');
  });

  it('§4.9.1 / §4.10.2 a token minted for another resource is refused by the MCP endpoint (audience check)', async () => {
    const { config } = h.stack;
    const tokens = await oauthOf(config).authorizeAndRedeem(admin);
    const row = await h.db
      .selectFrom('oauth_tokens')
      .select('grant_id')
      .where('token_hash', '=', hashSecret(config.tokenHashKey, tokens.access_token))
      .executeTakeFirstOrThrow();
    // The same authorization server minting for another resource server (e.g. after the MCP URL moved).
    await h.db
      .updateTable('oauth_grants')
      .set({ resource: 'https://other.example/mcp' })
      .where('id', '=', row.grant_id)
      .execute();
    const response = await mcpPost(config, tokens.access_token, { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
    expect((await errorOf(response)).error_description).toBe('Token validation failed');
  });
});

describe('after the attacks', () => {
  it('both services are still up and ready', async () => {
    await expectAlive(h.stack);
  });
});
