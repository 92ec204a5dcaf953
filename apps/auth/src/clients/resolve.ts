import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findClient, type OAuthClient } from '@enginy/db/queries/oauth-clients';
import { loopbackRedirectMatches } from '@enginy/policy/redirect-uri';
import { InvalidClient } from '../errors.ts';
import { isMetadataDocumentUrl, resolveMetadataDocumentClient } from './cimd.ts';

/** The client behind a `client_id`: a metadata document URL, or a registered/pre-registered client. */
export async function resolveClient(db: Db, config: StackConfig, clientId: string | undefined): Promise<OAuthClient> {
  if (clientId === undefined || clientId === '' || clientId.length > 2048) throw new InvalidClient('client_id is missing');
  const documentUrl = isMetadataDocumentUrl(clientId, config);
  if (documentUrl !== undefined) return resolveMetadataDocumentClient(db, config, documentUrl);
  const client = await findClient(db, clientId);
  if (client === undefined) throw new InvalidClient(`Unknown client_id ${clientId}; register the client again`);
  return client;
}

/**
 * Whether `redirectUri` is one the client registered. Exact match (OAuth 2.1 §4.1.1), except that a
 * metadata document's loopback URIs admit any port (RFC 8252 §7.3): Claude Code's document lists
 * `http://localhost/callback` while it listens on :3118.
 */
export function isRegisteredRedirectUri(client: OAuthClient, redirectUri: string): boolean {
  if (client.kind === 'cimd') return client.redirectUris.some((registered) => loopbackRedirectMatches(registered, redirectUri));
  return client.redirectUris.includes(redirectUri);
}
