import { createHash, randomUUID } from 'node:crypto';
import { registerDynamicClient } from '@enginy/db/queries/oauth-clients';
import { cleanClientName } from '@enginy/policy/client-name';
import { hashSecret, newSecret } from '@enginy/security/tokens';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Static } from 'typebox';
import { forgetClientSalt } from '../../lab/forget-client.ts';
import { sourceAddress } from '../../source-address.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';
import { compileAsSent } from '../schema-compiler.ts';
import { checkAddressCap } from './check-address-cap.ts';
import { checkMetadata } from './check-metadata.ts';
import { checkRedirectUris } from './check-redirect-uris.ts';
import { ClientMetadata, registrationBodyError } from './client-metadata-schema.ts';
import { applicationTypeOf, authMethodOf, grantTypesOf } from './metadata-defaults.ts';

export const REGISTER_PATHS = ['/register', '/oauth/register'] as const;

/**
 * RFC 7591 dynamic registration, accepting what Claude Code and mcp-remote send (no
 * `application_type`; all-loopback redirect URIs mean a native app). Registration is anonymous.
 */
export const registerEndpoint: FastifyPluginAsync<AppPluginOptions> = async (app, { config, db, issuerPath }) => {
  app.setValidatorCompiler(compileAsSent);
  app.setSchemaErrorFormatter(registrationBodyError);
  const handler = async (request: FastifyRequest<{ Body: Static<typeof ClientMetadata> }>, reply: FastifyReply) => {
    const body = request.body;
    const redirectUris = checkRedirectUris(body);
    // Before anything is stored or echoed: only values of each field's kind (closed sets, text, URLs).
    checkMetadata(body);
    const { grantTypes, responseTypes } = grantTypesOf(body);
    const method = authMethodOf(body);
    const name = cleanClientName(body.client_name, 'Unnamed MCP client');
    const applicationType = applicationTypeOf(body, redirectUris);
    const source = sourceAddress(request.ip);
    await checkAddressCap(db, source, config.oauth.unusedClientsPerAddress);

    const confidential = method !== 'none';
    const clientSecret = confidential ? newSecret('ecs_') : undefined;
    const metadata = {
      client_name: name,
      redirect_uris: redirectUris,
      grant_types: grantTypes,
      response_types: responseTypes,
      token_endpoint_auth_method: method,
      application_type: applicationType,
    };
    // Identical public registrations from one address reuse one client (a secret cannot be shown twice,
    // so confidential registrations are always new). The caller's own address, not the proxy's: else
    // anyone registering through the OpenAPI aliases got the very client ID another caller pinned.
    const fingerprint = confidential
      ? null
      : createHash('sha256')
          .update(
            JSON.stringify({
              ...metadata,
              ip: request.ip,
              ...forgetClientSalt(await request.labSwitches()),
              // A client of the moved issuer is another client (SEP-2352), never the old one handed back.
              ...(issuerPath === undefined ? {} : { issuerPath }),
            }),
          )
          .digest('base64url');
    const { client } = await registerDynamicClient(db, randomUUID(), {
      kind: 'dynamic',
      name,
      redirectUris,
      tokenEndpointAuthMethod: method as 'none',
      metadata,
      secretHash: clientSecret === undefined ? null : hashSecret(config.tokenHashKey, clientSecret),
      fingerprint,
      registeredFrom: source,
      issuerPath: issuerPath ?? null,
    });
    // RFC 7591 §3.2.1: "201 Created" with the client information.
    return reply
      .code(201)
      .header('cache-control', 'no-store')
      .send({
        client_id: client.id,
        client_id_issued_at: Math.floor(client.createdAt.getTime() / 1000),
        ...metadata,
        ...(clientSecret === undefined ? {} : { client_secret: clientSecret, client_secret_expires_at: 0 }),
      });
  };
  for (const url of REGISTER_PATHS) {
    // Per caller address (request.ip), as forwarded by the stack's own proxies.
    app.post<{ Body: Static<typeof ClientMetadata> }>(
      url,
      {
        config: { rateLimit: { max: config.oauth.registerRateLimitPerMinute, timeWindow: '1 minute' } },
        schema: { body: ClientMetadata },
      },
      handler,
    );
  }
};
