import { revokeGrant } from '@enginy/db/queries/oauth-grants';
import { findToken, revokeToken } from '@enginy/db/queries/oauth-tokens';
import { hashSecret } from '@enginy/security/tokens';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import { InvalidRequest } from '../../errors/classes.ts';
import { authenticateClient } from '../clients/authenticate.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { FormParameters, oauthParameterError, requireFormBody } from '../oauth-parameters.ts';
import { compileAsSent } from '../schema-compiler.ts';

export const REVOKE_PATHS = ['/revoke', '/oauth/revoke'] as const;

/** RFC 7009 token revocation. */
export const revokeEndpoint: FastifyPluginAsync<AppPluginOptions> = async (plugin, { config, db }) => {
  const app = plugin.withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(compileAsSent);
  app.setSchemaErrorFormatter(oauthParameterError);
  for (const url of REVOKE_PATHS) {
    app.post(
      url,
      {
        config: { rateLimit: { max: config.oauth.tokenRateLimitPerMinute, timeWindow: '1 minute' } },
        preValidation: [
          async (_request, reply) => {
            reply.header('cache-control', 'no-store');
          },
          requireFormBody,
        ],
        schema: { body: FormParameters },
      },
      async (request, reply) => {
        const body = request.body;
        // RFC 7009 §2.1: "The client also includes its authentication credentials as described in Section 2.3 of [RFC6749]."
        const client = await authenticateClient(db, config, request.headers.authorization, body);
        if (body.token === undefined || body.token === '') throw new InvalidRequest('token is required');
        const row = await findToken(db, hashSecret(config.tokenHashKey, body.token));
        // RFC 7009 §2.2: "invalid tokens do not cause an error response": unknown, or another client's, → 200.
        if (row !== undefined && row.clientId === client.id) {
          // RFC 7009 §2.1: revoking a refresh token SHOULD also invalidate the access tokens of the same grant.
          if (row.kind === 'refresh') await revokeGrant(db, row.grantId, 'revoked_by_client');
          else await revokeToken(db, hashSecret(config.tokenHashKey, body.token));
        }
        return reply.code(200).send({});
      },
    );
  }
};
