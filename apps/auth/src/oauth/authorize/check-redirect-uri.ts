import { redirectUriMatchesClient } from '@enginy/policy/redirect-uri';
import type { ResolvedClient } from './check-client.ts';

/**
 * Check 1b: the redirect URI is one of the client's own (packages/policy, stage: /authorize). RFC 6749
 * §3.1.2.3: it may be omitted when the client registered exactly one. Undefined when it is missing
 * or not the client's: RFC 6749 §4.1.2.1 then forbids redirecting, so the endpoint shows the error.
 */
export function checkRedirectUri({ client }: ResolvedClient, sent: string | undefined): string | undefined {
  const redirectUri = sent ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  return redirectUri !== undefined && redirectUriMatchesClient(client, redirectUri) ? redirectUri : undefined;
}
