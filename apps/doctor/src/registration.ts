// Step "registration": dynamic client registration (RFC 7591) with what the client sends, a client
// ID metadata document the authorization server must be able to use, or a pre-registered client.
import { createHash, randomUUID } from 'node:crypto';
import type { AuthServerMetadata } from './discovery.ts';
import { describe, isObject, networkError, type Probe, probe } from './http.ts';
import { ENTRIES, StepFailure } from './report.ts';

export type AuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';

export interface RegisteredClient {
  clientId: string;
  clientSecret: string | undefined;
  authMethod: AuthMethod;
  dynamic: boolean;
}

export async function registerClient(
  as: AuthServerMetadata,
  clientName: string,
  redirectUri: string,
): Promise<RegisteredClient> {
  if (as.registrationEndpoint === undefined) {
    throw new StepFailure(
      'registration',
      `${as.url} advertises no registration_endpoint`,
      ENTRIES.clientId,
      'Use a pre-registered client: pnpm oauth-client, then run the doctor (and Claude Code) with --client-id and --client-secret.',
    );
  }
  let p: Probe;
  try {
    p = await probe(as.registrationEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({
        client_name: clientName,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    });
  } catch (error) {
    throw new StepFailure(
      'registration',
      `POST ${as.registrationEndpoint}: ${networkError(error)}`,
      ENTRIES.tokenPath,
      'The registration endpoint is unreachable: check the auth service.',
    );
  }
  if (p.status !== 201 && p.status !== 200) {
    const error = isObject(p.json) ? `${String(p.json.error)}: ${String(p.json.error_description ?? '')}` : describe(p);
    throw new StepFailure(
      'registration',
      `POST ${as.registrationEndpoint} refused the registration (${error})`,
      ENTRIES.tokenPath,
      'Dynamic registration failed: use a pre-registered client (--client-id/--client-secret) or fix the auth service.',
    );
  }
  const clientId = isObject(p.json) && typeof p.json.client_id === 'string' ? p.json.client_id : undefined;
  if (clientId === undefined)
    throw new StepFailure(
      'registration',
      `POST ${as.registrationEndpoint} answered ${describe(p)} without a client_id`,
      ENTRIES.tokenPath,
      'Fix the auth service.',
    );
  return { clientId, clientSecret: undefined, authMethod: 'none', dynamic: true };
}

/**
 * A client ID metadata document is not registered: the authorization server resolves it at
 * /authorize. Before the browser step the doctor asks /authorize (as JSON, not following the
 * redirect) what it makes of the client_id, so an unusable document fails here in every browser
 * mode instead of on a page only the person sees. A usable one leaves an unused pending request.
 */
export async function checkMetadataDocumentClient(
  as: AuthServerMetadata,
  request: { clientId: string; redirectUri: string; resource: string; scopes: string[] },
): Promise<{ ok: true } | { ok: false; error: string; description: string }> {
  const url = new URL(as.authorizationEndpoint);
  const params = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    // A well-formed S256 challenge; no code is ever exchanged for it.
    code_challenge: createHash('sha256').update(randomUUID()).digest('base64url'),
    code_challenge_method: 'S256',
    resource: request.resource,
    state: 'doctor-preflight',
    ...(request.scopes.length > 0 ? { scope: request.scopes.join(' ') } : {}),
  };
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  let p: Probe;
  try {
    p = await probe(url.href, { headers: { accept: 'application/json' } });
  } catch (error) {
    throw new StepFailure(
      'registration',
      `GET ${as.authorizationEndpoint}: ${networkError(error)}`,
      ENTRIES.tokenPath,
      'The authorization endpoint is unreachable: check the auth service.',
    );
  }
  if (p.status >= 400 && isObject(p.json) && p.json.error === 'invalid_client') {
    return { ok: false, error: 'invalid_client', description: String(p.json.error_description ?? '') };
  }
  // A redirect to sign-in, or a refusal of something else, which the browser step then names.
  return { ok: true };
}
