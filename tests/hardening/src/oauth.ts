// The authorization-code flow over plain HTTP, step by step, so that attacks can change any step:
// register, authorize, sign in and approve through the session API (as the web app does), redeem.
import { createHash, randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';
import { rawRequest } from './http.ts';
import { CALLBACK } from './stack.ts';

export interface Session {
  cookie: string;
  csrfToken: string;
}

export interface TokenResponse {
  access_token: string;
  refresh_token: string;
  scope: string;
  expires_in: number;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

async function ok<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export function form(params: Record<string, string | undefined>): URLSearchParams {
  return new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** A new public client (from a rotating loopback address, like /authorize: registration is limited per address). */
export async function registerClient(config: StackConfig, redirectUris: string[] = [CALLBACK], name = 'hardening'): Promise<string> {
  const answer = await rawRequest(`${config.auth.issuer}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // A unique name: identical public registrations from one address share one client.
    body: JSON.stringify({ client_name: `${name} ${randomBytes(4).toString('hex')}`, redirect_uris: redirectUris, token_endpoint_auth_method: 'none' }),
  });
  if (answer.status !== 201) throw new Error(`/register: HTTP ${answer.status} ${answer.text}`);
  return (JSON.parse(answer.text) as { client_id: string }).client_id;
}

export async function signIn(config: StackConfig, who: { email: string; password: string }): Promise<Session> {
  const response = await fetch(`${config.auth.issuer}/session`, { method: 'POST', headers: { 'content-type': 'application/json', origin: config.web.url }, body: JSON.stringify(who) });
  const { csrfToken } = await ok<{ csrfToken: string }>(response);
  return { cookie: (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '', csrfToken };
}

export function authorizeUrl(config: StackConfig, params: Record<string, string | undefined>): string {
  return `${config.auth.issuer}/authorize?${form(params)}`;
}

/**
 * GET /authorize for a valid request; resolves to the pending request's id the consent page gets.
 * Sent from a rotating loopback address: the per-address limit on /authorize is not what is tested here.
 */
export async function startAuthorization(config: StackConfig, clientId: string, challenge: string, extra: Record<string, string | undefined> = {}): Promise<string> {
  const answer = await rawRequest(
    authorizeUrl(config, { response_type: 'code', client_id: clientId, redirect_uri: CALLBACK, code_challenge: challenge, code_challenge_method: 'S256', state: 'st', resource: config.openapi.mcpUrl, ...extra }),
  );
  const location = String(answer.headers.location ?? '');
  const id = location.startsWith(`${config.web.url}/consent`) ? new URL(location).searchParams.get('request') : null;
  if (id === null) throw new Error(`/authorize did not hand over to the consent page: ${answer.status} ${location} ${answer.text}`);
  return id;
}

export function postConsent(config: StackConfig, session: Session, requestId: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${config.auth.issuer}/consent/${requestId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: config.web.url, cookie: session.cookie, 'x-csrf-token': session.csrfToken, ...headers },
    body: JSON.stringify(body),
  });
}

/** Approves in the given workspace; resolves to the authorization response URL (code, state, iss). */
export async function approve(config: StackConfig, session: Session, requestId: string, workspaceId: string = SEED_IDS.acme): Promise<URL> {
  const { redirectTo } = await ok<{ redirectTo: string }>(await postConsent(config, session, requestId, { workspaceId, decision: 'approve' }));
  return new URL(redirectTo);
}

export function tokenRequest(config: StackConfig, params: Record<string, string | undefined>): Promise<Response> {
  return fetch(`${config.auth.issuer}/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(params) });
}

/** Register (unless given a client), authorize, approve, redeem: one new grant's first token pair. */
export async function authorizeAndRedeem(
  config: StackConfig,
  session: Session,
  options: { clientId?: string; scope?: string; workspaceId?: string } = {},
): Promise<TokenResponse & { clientId: string }> {
  const clientId = options.clientId ?? (await registerClient(config));
  const { verifier, challenge } = pkce();
  const requestId = await startAuthorization(config, clientId, challenge, { scope: options.scope });
  const code = (await approve(config, session, requestId, options.workspaceId)).searchParams.get('code') ?? '';
  const tokens = await ok<TokenResponse>(
    await tokenRequest(config, { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: CALLBACK, client_id: clientId, resource: config.openapi.mcpUrl }),
  );
  return { ...tokens, clientId };
}

export async function refresh(config: StackConfig, clientId: string, refreshToken: string, extra: Record<string, string> = {}): Promise<TokenResponse> {
  return ok<TokenResponse>(await tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: clientId, ...extra }));
}

/** The OAuth error body of a response (`error`, `error_description`). */
export async function errorOf(response: Response): Promise<{ error?: string; error_description?: string }> {
  return (await response.json()) as { error?: string; error_description?: string };
}
