import type { StackConfig } from '@enginy/config/load';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { clientKnownAtIssuer, issuerAt, MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';
import { InvalidClient } from '../errors/classes.ts';

// Failure lab `issuer-moved`: while it is on, this app is also a second, complete authorization
// server, `<issuer>/v2`, and the protected-resource metadata names it (apps/openapi). Credentials are
// bound to the issuer that issued them (SEP-2352): the old issuer's registered clients, codes and
// refresh tokens are refused at the new one, so a client must discover it and register again.

export const MOVED_NOT_ON = `Not found: the authorization server at ${MOVED_ISSUER_PATH} exists only while the failure lab's issuer-moved is on`;

/** The stack's configuration as the moved issuer sees it: its issuer URL has the path. */
export function movedConfig(config: StackConfig): StackConfig {
  return { ...config, auth: { ...config.auth, issuer: issuerAt(config.auth.issuer, MOVED_ISSUER_PATH) } };
}

/**
 * Refuses a client registered at the other issuer, in the words an unknown client_id gets
 * (RFC 6749 §5.2 invalid_client: "Client authentication failed (e.g., unknown client ...)").
 */
export function refuseClientOfOtherIssuer(client: OAuthClient, issuerPath: string | null): void {
  if (!clientKnownAtIssuer(client, issuerPath))
    throw new InvalidClient(`Unknown client_id ${client.id} at this issuer; register the client again`);
}

/** The metadata of the moved issuer at the path-inserted well-known URLs (RFC 8414 §3.1), and OpenID's appended one. */
export const MOVED_METADATA_PATHS = [
  `/.well-known/oauth-authorization-server${MOVED_ISSUER_PATH}`,
  `${MOVED_ISSUER_PATH}/.well-known/openid-configuration`,
] as const;

/** A route of the moved issuer as the same route of the stack's own (for the flow view and no-dcr). */
export function ownRouteOf(url: string): string {
  if ((MOVED_METADATA_PATHS as readonly string[]).includes(url)) return '/.well-known/oauth-authorization-server';
  return url.startsWith(`${MOVED_ISSUER_PATH}/`) ? url.slice(MOVED_ISSUER_PATH.length) : url;
}
