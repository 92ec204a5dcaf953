import type { StackConfig } from '@enginy/config/load';
import { listMcpPolicies } from '@enginy/db/queries/workspaces';
import { GRANT_TYPES, RESPONSE_TYPES, TOKEN_ENDPOINT_AUTH_METHODS } from '@enginy/policy/client-metadata';
import { scopesInForceAnywhere } from '@enginy/policy/effective-scopes';
import type { FastifyPluginAsync } from 'fastify';
import { registrationSwitchedOff } from '../../lab/no-dcr.ts';
import type { AppPluginOptions } from '../../plugin-options.ts';

export const METADATA_PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as const;

/**
 * RFC 8414 metadata. Only what is really implemented is advertised, and `scopes_supported` lists
 * only what can be granted today: the scopes of the MCP-enabled workspaces' active policies, the
 * same list as the protected-resource metadata's. Gemini CLI asks for this whole list (and Claude
 * Code appends `offline_access` when it is listed, so it is not); listing every Enginy scope made it
 * ask for WRITE scopes the seeded read-only policy refuses. Omitted while nothing can be granted.
 */
export function authorizationServerMetadata(
  config: StackConfig,
  grantableScopes: readonly string[],
  { registration = true }: { registration?: boolean } = {},
) {
  const issuer = config.auth.issuer;
  return {
    // RFC 8414 §3.3: "The issuer value returned MUST be identical to the authorization server's issuer identifier".
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    // RFC 8414 §2: registration_endpoint is OPTIONAL; the failure lab's no-dcr leaves it out.
    ...(registration ? { registration_endpoint: `${issuer}/register` } : {}),
    revocation_endpoint: `${issuer}/revoke`,
    ...(grantableScopes.length === 0 ? {} : { scopes_supported: [...grantableScopes] }),
    // The very sets /register accepts (packages/policy client-metadata).
    response_types_supported: [...RESPONSE_TYPES],
    response_modes_supported: ['query'],
    grant_types_supported: [...GRANT_TYPES],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: [...TOKEN_ENDPOINT_AUTH_METHODS],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

/**
 * RFC 8414 §3: the metadata at the well-known path (and OpenID Connect Discovery's, which clients also
 * probe); `paths` for an issuer with a path (the failure lab's moved issuer).
 */
export const metadataEndpoint: FastifyPluginAsync<AppPluginOptions & { paths?: readonly string[] }> = async (
  app,
  { config, db, paths = METADATA_PATHS },
) => {
  for (const url of paths) {
    app.get(url, async (request, reply) => {
      const registration = !registrationSwitchedOff(await request.labSwitches());
      const metadata = authorizationServerMetadata(config, scopesInForceAnywhere(await listMcpPolicies(db)), {
        registration,
      });
      // Revalidated every time: a policy change must show in the very next discovery.
      return reply.header('cache-control', 'no-cache').send(metadata);
    });
  }
};
