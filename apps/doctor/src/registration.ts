// Step "registration": dynamic client registration (RFC 7591) with what Claude Code sends, or a
// pre-registered client given on the command line.
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

export async function registerClient(as: AuthServerMetadata, clientName: string, redirectUri: string): Promise<RegisteredClient> {
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
    throw new StepFailure('registration', `POST ${as.registrationEndpoint}: ${networkError(error)}`, ENTRIES.tokenPath, 'The registration endpoint is unreachable: check the auth service.');
  }
  if (p.status !== 201 && p.status !== 200) {
    const error = isObject(p.json) ? `${String(p.json.error)}: ${String(p.json.error_description ?? '')}` : describe(p);
    throw new StepFailure('registration', `POST ${as.registrationEndpoint} refused the registration (${error})`, ENTRIES.tokenPath, 'Dynamic registration failed: use a pre-registered client (--client-id/--client-secret) or fix the auth service.');
  }
  const clientId = isObject(p.json) && typeof p.json.client_id === 'string' ? p.json.client_id : undefined;
  if (clientId === undefined) throw new StepFailure('registration', `POST ${as.registrationEndpoint} answered ${describe(p)} without a client_id`, ENTRIES.tokenPath, 'Fix the auth service.');
  return { clientId, clientSecret: undefined, authMethod: 'none', dynamic: true };
}
