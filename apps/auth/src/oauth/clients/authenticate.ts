import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { hashSecret, safeEqual } from '@enginy/security/tokens';
import { InvalidClient, InvalidRequest } from '../../errors/classes.ts';
import { findKnownClient } from './resolve.ts';

interface Credentials {
  clientId: string | undefined;
  clientSecret: string | undefined;
  method: 'none' | 'client_secret_post' | 'client_secret_basic';
}

/** RFC 6749 §2.3.1: client_id and secret are form-urlencoded before going into the Basic header. */
function readCredentials(authorization: string | undefined, body: Record<string, string | undefined>): Credentials {
  if (authorization?.startsWith('Basic ')) {
    const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon === -1) throw new InvalidClient('Malformed Basic credentials');
    const decode = (value: string) => {
      try {
        return decodeURIComponent(value.replace(/\+/g, ' '));
      } catch {
        throw new InvalidClient('Malformed Basic credentials');
      }
    };
    const clientId = decode(decoded.slice(0, colon));
    // RFC 6749 §2.3: "The client MUST NOT use more than one authentication method in each request."
    if (body.client_secret !== undefined) throw new InvalidRequest('Use one client authentication method, not two');
    if (body.client_id !== undefined && body.client_id !== clientId)
      throw new InvalidClient('client_id differs from the Basic credentials');
    return { clientId, clientSecret: decode(decoded.slice(colon + 1)), method: 'client_secret_basic' };
  }
  if (body.client_secret !== undefined)
    return { clientId: body.client_id, clientSecret: body.client_secret, method: 'client_secret_post' };
  return { clientId: body.client_id, clientSecret: undefined, method: 'none' };
}

/**
 * Authenticates the client of a token or revocation request. A confidential client must present its
 * secret (post or basic); a public client only names itself. Any failure is 401 invalid_client.
 */
export async function authenticateClient(
  db: Db,
  config: StackConfig,
  authorization: string | undefined,
  body: Record<string, string | undefined>,
): Promise<OAuthClient> {
  const credentials = readCredentials(authorization, body);
  const client = await findKnownClient(db, credentials.clientId);
  if (client.secretHash === null) {
    if (credentials.clientSecret !== undefined) throw new InvalidClient('This client is public and has no secret');
    return client;
  }
  if (credentials.clientSecret === undefined)
    throw new InvalidClient('This client must authenticate with its client_secret');
  if (!safeEqual(hashSecret(config.tokenHashKey, credentials.clientSecret), client.secretHash))
    throw new InvalidClient('Wrong client_secret');
  return client;
}
