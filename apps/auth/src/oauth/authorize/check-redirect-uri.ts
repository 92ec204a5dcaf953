import { redirectUriMatchesClient } from '@enginy/policy/redirect-uri';
import { InvalidRequest } from '../../errors/classes.ts';
import { type AuthorizeContext, known } from './context.ts';

/**
 * The redirect URI is one of the client's own (packages/policy, stage: /authorize). RFC 6749
 * §3.1.2.3: it may be omitted when the client registered exactly one. When it is missing or not the
 * client's, RFC 6749 §4.1.2.1 forbids redirecting: its stage shows the error (stages.ts).
 */
export function checkRedirectUri(ctx: AuthorizeContext): void {
  const { client } = known(ctx, 'resolved');
  const sent = known(ctx, 'parameters').redirect_uri;
  const redirectUri = sent ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : undefined);
  if (redirectUri === undefined || !redirectUriMatchesClient(client, redirectUri))
    throw new InvalidRequest('redirect_uri is not registered for this client');
  ctx.redirectUri = redirectUri;
}
