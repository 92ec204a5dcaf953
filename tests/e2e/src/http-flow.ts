// The authorization-code flow over plain HTTP, without a browser: register, authorize, sign in and
// approve through the session API (as the web app does), redeem. For benchmarks and scripted setup.
import { createHash, randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';

export interface TokenPair {
  access_token: string;
  refresh_token: string;
}

async function json<T>(response: Response): Promise<T> {
  const body = (await response.json()) as T;
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${JSON.stringify(body)}`);
  return body;
}

export async function registerPublicClient(config: StackConfig, redirectUri: string): Promise<string> {
  const response = await fetch(`${config.auth.issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'bench', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
  });
  return (await json<{ client_id: string }>(response)).client_id;
}

export async function signInOverHttp(config: StackConfig, credentials: { email: string; password: string }) {
  const response = await fetch(`${config.auth.issuer}/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: config.web.url }, body: JSON.stringify(credentials) });
  const { csrfToken } = await json<{ csrfToken: string }>(response);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { cookie, csrfToken };
}

/** One approved grant's first token pair. */
export async function tokensOverHttp(config: StackConfig, session: { cookie: string; csrfToken: string }, clientId: string, redirectUri: string, workspaceId: string): Promise<TokenPair> {
  const verifier = randomBytes(32).toString('base64url');
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state: 's',
  });
  const authorize = await fetch(`${config.auth.issuer}/authorize?${q}`, { redirect: 'manual' });
  const requestId = new URL(authorize.headers.get('location') ?? '').searchParams.get('request');
  const consent = await fetch(`${config.auth.issuer}/consent/${requestId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: config.web.url, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: JSON.stringify({ workspaceId, decision: 'approve' }),
  });
  const code = new URL((await json<{ redirectTo: string }>(consent)).redirectTo).searchParams.get('code') ?? '';
  const token = await fetch(`${config.auth.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: redirectUri, client_id: clientId }),
  });
  return json<TokenPair>(token);
}
