import { redirectUriRegistrable } from '@enginy/policy/redirect-uri';
import { InvalidRedirectUri } from '../../errors/classes.ts';
import { stringList } from './string-list.ts';

/** RFC 7591 §2: redirect_uris is required for redirect-based flows; each must be registrable (packages/policy, stage: registration). */
export function checkRedirectUris(metadata: Record<string, unknown>): string[] {
  const redirectUris = stringList(metadata.redirect_uris, 'redirect_uris', []);
  if (redirectUris.length === 0) throw new InvalidRedirectUri('redirect_uris must list at least one URI');
  // RFC 7591 §3.2.2: "invalid_redirect_uri: The value of one or more redirection URIs is invalid."
  const refused = redirectUris.find((uri) => !redirectUriRegistrable(uri));
  if (refused !== undefined)
    throw new InvalidRedirectUri(`${refused} is not a valid redirect URI (https, or http on localhost/127.0.0.1)`);
  return redirectUris;
}
