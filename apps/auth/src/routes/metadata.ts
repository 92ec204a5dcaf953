import type { StackConfig } from '@enginy/config/load';
import { SCOPE_LIST } from '@enginy/policy/scopes';
import type { FastifyInstance } from 'fastify';

export const METADATA_PATHS = ['/.well-known/oauth-authorization-server', '/.well-known/openid-configuration'] as const;

/** RFC 8414 metadata. Only what is really implemented is advertised. */
export function authorizationServerMetadata(config: StackConfig) {
  const issuer = config.auth.issuer;
  return {
    // RFC 8414 §3.3: "The issuer value returned MUST be identical to the authorization server's issuer identifier".
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    registration_endpoint: `${issuer}/register`,
    revocation_endpoint: `${issuer}/revoke`,
    scopes_supported: [...SCOPE_LIST],
    response_types_supported: ['code'],
    response_modes_supported: ['query'],
    grant_types_supported: ['authorization_code', 'refresh_token'],
    code_challenge_methods_supported: ['S256'],
    token_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    revocation_endpoint_auth_methods_supported: ['none', 'client_secret_post', 'client_secret_basic'],
    authorization_response_iss_parameter_supported: true,
    client_id_metadata_document_supported: true,
  };
}

export async function metadataRoutes(app: FastifyInstance, config: StackConfig): Promise<void> {
  const metadata = authorizationServerMetadata(config);
  for (const url of METADATA_PATHS) {
    app.get(url, async (_request, reply) => reply.header('cache-control', 'public, max-age=300').send(metadata));
  }
}
