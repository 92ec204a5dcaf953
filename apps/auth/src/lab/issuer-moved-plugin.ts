import { labSwitchInForce, MOVED_ISSUER_PATH } from '@enginy/policy/failure-lab';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { NotFound } from '../errors/classes.ts';
import { authorizeEndpoint } from '../oauth/authorize/endpoint.ts';
import { metadataEndpoint } from '../oauth/metadata/endpoint.ts';
import { registerEndpoint } from '../oauth/register/endpoint.ts';
import { revokeEndpoint } from '../oauth/revoke/endpoint.ts';
import { tokenEndpoint } from '../oauth/token/endpoint.ts';
import type { AppPluginOptions } from '../plugin-options.ts';
import { MOVED_METADATA_PATHS, MOVED_NOT_ON, movedConfig } from './issuer-moved.ts';

// Failure lab `issuer-moved`, the second issuer itself: the stack's own OAuth endpoints registered
// again under <issuer>/v2, answering as that issuer (its rules: issuer-moved.ts).

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
