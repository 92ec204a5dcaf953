// The authorization-code flow against our auth server over plain HTTP, as an MCP client and the web
// app's consent page drive it: registration (RFC 7591), /authorize, the consent approval the web
// app posts for a signed-in user, then the code exchange at /token (PKCE S256).
import { createHash, randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import { type Answer, nextLoopbackAddress, send } from './loopback-http.ts';

export const REDIRECT_URI = 'http://localhost:3118/callback';

export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

function expect(answer: Answer, status: number, step: string): Answer {
  if (answer.status !== status) throw new Error(`${step}: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
  return answer;
}

/** Signs a seeded user in through the session API, as the web app's sign-in page does. */
export async function signIn(config: StackConfig, email: string, password: string): Promise<Session> {
  const answer = expect(
    await send(`${config.auth.issuer}/session`, {
      from: nextLoopbackAddress(),
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: config.web.url },
      body: JSON.stringify({ email, password }),
    }),
    200,
    'sign-in',
  );
  const setCookie = answer.headers['set-cookie'];
  const cookie = (Array.isArray(setCookie) ? (setCookie[0] ?? '') : (setCookie ?? '')).split(';')[0] ?? '';
  return { cookie, csrfToken: (JSON.parse(answer.body) as { csrfToken: string }).csrfToken };
}

/** Registers a public client (RFC 7591) from `from`; returns its client_id. */
export async function registerClient(config: StackConfig, from = nextLoopbackAddress()): Promise<string> {
  const registered = expect(
    await send(`${config.auth.issuer}/register`, {
      from,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'bench', redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: 'none' }),
    }),
    201,
    'registration',
  );
  return (JSON.parse(registered.body) as { client_id: string }).client_id;
}

/**
 * One whole authorization from a new client address: register a public client (unless `clientId`
 * is given), authorize, approve for `workspaceId` with the user's live session, redeem the code.
 * Returns the first token pair.
 */
export async function authorizationFlow(config: StackConfig, session: Session, workspaceId: string, clientId?: string): Promise<TokenPair & { clientId: string }> {
  const from = nextLoopbackAddress();
  const issuer = config.auth.issuer;
  const client = clientId ?? (await registerClient(config, from));
  const verifier = randomBytes(32).toString('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: client,
    redirect_uri: REDIRECT_URI,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 'bench',
  });
  const authorize = expect(await send(`${issuer}/authorize?${query}`, { from }), 302, 'authorize');
  const requestId = new URL(String(authorize.headers.location)).searchParams.get('request');
  const consent = expect(
    await send(`${issuer}/consent/${requestId}`, {
      from,
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: config.web.url, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
      body: JSON.stringify({ workspaceId, decision: 'approve' }),
    }),
    200,
    'consent',
  );
  const code = new URL((JSON.parse(consent.body) as { redirectTo: string }).redirectTo).searchParams.get('code') ?? '';
  const token = expect(
    await send(`${issuer}/token`, {
      from,
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: client }).toString(),
    }),
    200,
    'token',
  );
  return { ...(JSON.parse(token.body) as TokenPair), clientId: client };
}
