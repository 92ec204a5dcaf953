import type { Db } from '@enginy/db/client';
import { findClient, type OAuthClient } from '@enginy/db/queries/oauth-clients';
import { InvalidClient } from '../../errors/classes.ts';

/** A `client_id` that can name a client at all. */
export function validClientId(clientId: string | undefined): string {
  if (clientId === undefined || clientId === '' || clientId.length > 2048)
    throw new InvalidClient('client_id is missing');
  return clientId;
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
