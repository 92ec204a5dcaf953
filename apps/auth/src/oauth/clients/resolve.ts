import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findClient, type OAuthClient } from '@enginy/db/queries/oauth-clients';
import { InvalidClient } from '../../errors.ts';
import { type ClientSourceKind, isMetadataDocumentUrl, resolveMetadataDocumentClient } from './cimd.ts';

export interface ResolvedClient {
  client: OAuthClient;
  /** Metadata-document clients: where the metadata came from this time; null for registered clients. */
  source: ClientSourceKind | null;
  /** Why the live metadata document was not used, for the audit. */
  fetchFailure?: string;
}

function validClientId(clientId: string | undefined): string {
  if (clientId === undefined || clientId === '' || clientId.length > 2048) throw new InvalidClient('client_id is missing');
  return clientId;
}

/** The client behind a `client_id` at /authorize: a metadata document URL, or a registered/pre-registered client. */
export async function resolveClient(db: Db, config: StackConfig, clientId: string | undefined): Promise<ResolvedClient> {
  const id = validClientId(clientId);
  const documentUrl = isMetadataDocumentUrl(id, config);
  if (documentUrl !== undefined) return resolveMetadataDocumentClient(db, config, documentUrl);
  return { client: await findKnownClient(db, id), source: null };
}

/**
 * The client of a token or revocation request, as stored: a metadata document was checked at
 * /authorize, which every code and refresh token went through, so nothing is fetched here (an
 * unauthenticated POST must not make this server fetch URLs).
 */
export async function findKnownClient(db: Db, clientId: string | undefined): Promise<OAuthClient> {
  const id = validClientId(clientId);
  const client = await findClient(db, id);
  if (client === undefined) throw new InvalidClient(`Unknown client_id ${id}; register the client again`);
  return client;
}
