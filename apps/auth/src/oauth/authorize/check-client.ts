import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { type ClientSourceKind, isMetadataDocumentUrl, resolveMetadataDocumentClient } from '../clients/cimd.ts';
import { findKnownClient, validClientId } from '../clients/resolve.ts';

export interface ResolvedClient {
  client: OAuthClient;
  /** Metadata-document clients: where the metadata came from this time; null for registered clients. */
  source: ClientSourceKind | null;
  /** Why the live metadata document was not used, for the audit. */
  fetchFailure?: string;
}

/**
 * Check 1a: the client behind `client_id`, a metadata document URL or a registered/pre-registered
 * client. RFC 6749 §4.1.2.1: if the client identifier is "missing or invalid, the authorization
 * server SHOULD inform the resource owner of the error and MUST NOT automatically redirect", so its
 * refusal (invalid_client) is shown, never redirected.
 */
export async function checkClient(db: Db, config: StackConfig, clientId: string | undefined): Promise<ResolvedClient> {
  const id = validClientId(clientId);
  const documentUrl = isMetadataDocumentUrl(id, config);
  if (documentUrl !== undefined) return resolveMetadataDocumentClient(db, config, documentUrl);
  return { client: await findKnownClient(db, id), source: null };
}
