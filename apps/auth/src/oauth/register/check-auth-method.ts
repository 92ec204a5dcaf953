import { InvalidClientMetadata } from '../../errors.ts';

export type TokenEndpointAuthMethod = 'none' | 'client_secret_post' | 'client_secret_basic';
const AUTH_METHODS = new Set<unknown>(['none', 'client_secret_post', 'client_secret_basic']);

/** RFC 7591 §2: token_endpoint_auth_method, "none" when omitted here (public native clients). */
export function checkAuthMethod(metadata: Record<string, unknown>): TokenEndpointAuthMethod {
  const method = metadata.token_endpoint_auth_method ?? 'none';
  if (!AUTH_METHODS.has(method))
    throw new InvalidClientMetadata(
      'token_endpoint_auth_method must be none, client_secret_post or client_secret_basic',
    );
  return method as TokenEndpointAuthMethod;
}
