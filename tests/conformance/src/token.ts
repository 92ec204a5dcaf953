// A real access token for the seeded admin in Acme, through the authorization server's own
// authorization-code flow over HTTP (register, sign in, authorize, approve as the web app does, redeem).
import { createHash, randomBytes } from 'node:crypto';
import { CLAUDE_CODE_REDIRECT_URI, DEFAULT_SEED_ADMIN } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import { SEED_IDS } from '@enginy/db/seed';

async function ok<T>(response: Response): Promise<T> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${response.url}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

export async function accessToken(config: StackConfig): Promise<string> {
  const issuer = config.auth.issuer;
  const redirectUri = CLAUDE_CODE_REDIRECT_URI;
  const json = (body: unknown, extra: Record<string, string> = {}) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: config.web.url, ...extra },
    body: JSON.stringify(body),
  });

  const { client_id: clientId } = await ok<{ client_id: string }>(
    await fetch(
      `${issuer}/register`,
      json({ client_name: 'MCP conformance', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
    ),
  );
  const signIn = await fetch(`${issuer}/session`, json(DEFAULT_SEED_ADMIN));
  const { csrfToken } = await ok<{ csrfToken: string }>(signIn);
  const cookie = (signIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: redirectUri,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 's',
  });
  const authorize = await fetch(`${issuer}/authorize?${query}`, { redirect: 'manual' });
  const requestId = new URL(authorize.headers.get('location') ?? '', issuer).searchParams.get('request');
  if (requestId === null) throw new Error(`/authorize answered ${authorize.status} without a consent request`);
  const consent = await ok<{ redirectTo: string }>(
    await fetch(
      `${issuer}/consent/${requestId}`,
      json({ workspaceId: SEED_IDS.acme, decision: 'approve' }, { cookie, 'x-csrf-token': csrfToken }),
    ),
  );
  const code = new URL(consent.redirectTo).searchParams.get('code') ?? '';

  const token = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: redirectUri,
      client_id: clientId,
    }),
  });
  return (await ok<{ access_token: string }>(token)).access_token;
}
