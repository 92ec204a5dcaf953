import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who is calling, whatever the credential: an API key today, an OAuth bearer token later. Route
 * handlers see only this, never the header it came from.
 */
export interface Principal {
  kind: 'api_key' | 'oauth';
  workspaceId: string;
  userId?: string;
  keyId?: string;
  clientId?: string;
  scopes: readonly string[];
}

/**
 * Turns one kind of credential into a principal. `undefined` means "not my kind of credential, ask
 * the next resolver"; a credential of its kind that is not valid throws a 401 ApiError.
 */
export interface CredentialResolver {
  name: string;
  /** How a client presents this credential, for the 401 message (e.g. "an x-api-key header"). */
  presented?: string;
  resolve(headers: IncomingHttpHeaders): Promise<Principal | undefined>;
}

/** A stable id for the caller, e.g. for rate-limit buckets: the key, or the user behind a token. */
export function principalId(principal: Principal): string {
  return `${principal.kind}:${principal.keyId ?? principal.clientId ?? ''}:${principal.userId ?? ''}:${principal.workspaceId}`;
}
