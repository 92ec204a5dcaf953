// What a registration leaves out, filled in. Only for metadata checkMetadata has accepted: the values
// are then of their field's closed set (packages/policy client-metadata), or absent or null.
import { isLoopbackRedirectUri } from '@enginy/policy/redirect-uri';
import type { APPLICATION_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from '@enginy/policy/client-metadata';

export type TokenEndpointAuthMethod = (typeof TOKEN_ENDPOINT_AUTH_METHODS)[number];

/** RFC 7591 §2: token_endpoint_auth_method; "none" when omitted here (public native clients). */
export function authMethodOf(metadata: Record<string, unknown>): TokenEndpointAuthMethod {
  return (metadata.token_endpoint_auth_method ?? 'none') as TokenEndpointAuthMethod;
}

/** RFC 7591 §2: grant_types defaults to authorization_code, response_types to code; refresh is served too. */
export function grantTypesOf(metadata: Record<string, unknown>): { grantTypes: string[]; responseTypes: string[] } {
  return {
    grantTypes: (metadata.grant_types ?? ['authorization_code', 'refresh_token']) as string[],
    responseTypes: (metadata.response_types ?? ['code']) as string[],
  };
}

/**
 * application_type as sent; when omitted (Claude Code and mcp-remote send none), all-loopback redirect
 * URIs mean a native app (RFC 8252 §7.3), anything else a web one (OpenID Connect DCR 1.0 §2's default).
 */
export function applicationTypeOf(
  metadata: Record<string, unknown>,
  redirectUris: readonly string[],
): (typeof APPLICATION_TYPES)[number] {
  const sent = metadata.application_type as (typeof APPLICATION_TYPES)[number] | null | undefined;
  return sent ?? (redirectUris.every(isLoopbackRedirectUri) ? 'native' : 'web');
}
