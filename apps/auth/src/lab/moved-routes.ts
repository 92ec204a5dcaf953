// The routes of the failure lab's moved issuer (issuer-moved, lab/issuer-moved.ts), apart from its
// endpoints, so the hooks that read a route (no-dcr, the flow view) need not import them.
import { MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';

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
