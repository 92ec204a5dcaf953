// Drives the authorization-code flow through `inject`: register, authorize, sign in, consent, token.
import { createHash, randomBytes } from 'node:crypto';
import type { StackConfig } from '@enginy/config/load';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

export const REDIRECT_URI = 'http://localhost:3118/callback';
export const ADMIN = { email: 'dev@enginy.local', password: 'enginy-dev' };
export const MEMBER = { email: 'member@enginy.local', password: 'enginy-dev' };

export function pkcePair() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export async function registerClient(app: FastifyInstance, body: Record<string, unknown> = {}) {
  const response = await app.inject({
    method: 'POST',
    url: '/register',
    payload: { client_name: 'Claude Code (enginy)', redirect_uris: [REDIRECT_URI], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...body },
  });
  expect(response.statusCode).toBe(201);
  return response.json<{ client_id: string; client_secret?: string }>();
}

export async function signIn(app: FastifyInstance, config: StackConfig, who = ADMIN) {
  const response = await app.inject({ method: 'POST', url: '/session', headers: { origin: config.web.url }, payload: who });
  expect(response.statusCode).toBe(200);
  const cookie = response.cookies.find((c) => c.name === 'enginy_session');
  return { cookie: `enginy_session=${cookie?.value}`, csrfToken: response.json<{ csrfToken: string }>().csrfToken };
}

export interface AuthorizeParams {
  clientId: string;
  redirectUri?: string;
  scope?: string;
  resource?: string;
  challenge: string;
  state?: string;
}

export function authorizeQuery(config: StackConfig, p: AuthorizeParams): string {
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: p.clientId,
    redirect_uri: p.redirectUri ?? REDIRECT_URI,
    code_challenge: p.challenge,
    code_challenge_method: 'S256',
    state: p.state ?? 'st-1',
    resource: p.resource ?? config.openapi.mcpUrl,
  });
  if (p.scope !== undefined) q.set('scope', p.scope);
  return q.toString();
}

/** /authorize → the pending request id from the redirect to the consent page. */
export async function startAuthorization(app: FastifyInstance, config: StackConfig, p: AuthorizeParams): Promise<string> {
  const response = await app.inject({ method: 'GET', url: `/authorize?${authorizeQuery(config, p)}` });
  expect(response.statusCode).toBe(302);
  const location = new URL(response.headers.location as string);
  expect(`${location.origin}${location.pathname}`).toBe(`${config.web.url}/consent`);
  return location.searchParams.get('request') as string;
}

export async function decide(app: FastifyInstance, config: StackConfig, session: { cookie: string; csrfToken: string }, requestId: string, workspaceId: string, decision: 'approve' | 'deny') {
  return app.inject({
    method: 'POST',
    url: `/consent/${requestId}`,
    headers: { origin: config.web.url, cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    payload: { workspaceId, decision },
  });
}

export function token(app: FastifyInstance, form: Record<string, string>, headers: Record<string, string> = {}) {
  return app.inject({ method: 'POST', url: '/token', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: new URLSearchParams(form).toString() });
}

/** The whole flow up to an approved code. */
export async function approvedCode(
  app: FastifyInstance,
  config: StackConfig,
  session: { cookie: string; csrfToken: string },
  workspaceId: string,
  p: Partial<AuthorizeParams> & { clientId: string },
) {
  const pkce = pkcePair();
  const requestId = await startAuthorization(app, config, { challenge: pkce.challenge, ...p });
  const response = await decide(app, config, session, requestId, workspaceId, 'approve');
  expect(response.statusCode).toBe(200);
  const redirect = new URL(response.json<{ redirectTo: string }>().redirectTo);
  return { code: redirect.searchParams.get('code') as string, redirect, verifier: pkce.verifier };
}
