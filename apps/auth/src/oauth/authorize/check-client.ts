import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { type ResolvedClient, resolveClient } from '../clients/resolve.ts';

/**
 * Check 1a: `client_id` names a registered client or a usable metadata document. RFC 6749 §4.1.2.1:
 * if the client identifier is "missing or invalid, the authorization server SHOULD inform the
 * resource owner of the error and MUST NOT automatically redirect", so its refusal (invalid_client)
 * is shown, never redirected.
 */
export function checkClient(db: Db, config: StackConfig, clientId: string | undefined): Promise<ResolvedClient> {
  return resolveClient(db, config, clientId);
}
