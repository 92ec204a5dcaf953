import type { StackConfig } from '@enginy/config/load';
import type { OAuthClient } from '@enginy/db/queries/oauth-clients';
import { clientKnownAtIssuer, issuerAt, labSwitchInForce, MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { InvalidClient, NotFound } from '../errors.ts';
import { authorizeEndpoint } from '../oauth/authorize/endpoint.ts';
import { metadataEndpoint } from '../oauth/metadata/endpoint.ts';
import { registerEndpoint } from '../oauth/register/endpoint.ts';
import { revokeEndpoint } from '../oauth/revoke/endpoint.ts';
import { tokenEndpoint } from '../oauth/token/endpoint.ts';
import type { AppPluginOptions } from '../plugin-options.ts';
import { MOVED_METADATA_PATHS } from './moved-routes.ts';

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

/** The moved issuer's endpoints: 404 unless the scenario is on, as at a server that never moved. */
const issuerMoved: FastifyPluginAsync<AppPluginOptions> = async (app, options) => {
  const moved = { ...options, config: movedConfig(options.config), issuerPath: MOVED_ISSUER_PATH };
  const onlyWhileOn = async (request: FastifyRequest) => {
    if (labSwitchInForce(await request.labSwitches(), 'issuer-moved') === undefined) throw new NotFound(MOVED_NOT_ON);
  };
  await app.register(async (scope) => {
    scope.addHook('onRequest', onlyWhileOn);
    await scope.register(metadataEndpoint, { ...moved, paths: MOVED_METADATA_PATHS });
  });
  await app.register(
    async (scope) => {
      scope.addHook('onRequest', onlyWhileOn);
      await scope.register(registerEndpoint, moved);
      await scope.register(authorizeEndpoint, moved);
      await scope.register(tokenEndpoint, moved);
      await scope.register(revokeEndpoint, moved);
    },
    { prefix: MOVED_ISSUER_PATH },
  );
};

export default issuerMoved;
