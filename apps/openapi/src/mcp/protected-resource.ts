import type { StackConfig } from '@enginy/config/load';
import { RESOURCE_SCOPE_LIST } from '@enginy/policy/scopes';
import type { FastifyPluginAsync } from 'fastify';

/**
 * Protected Resource Metadata (RFC 9728) in both forms MCP clients try: the path form
 * (`/.well-known/oauth-protected-resource/mcp`, §3.1) and the root form. CORS `*` without
 * credentials, so browser-based clients can read it.
 */
export const protectedResourceRoutes: FastifyPluginAsync<{ config: StackConfig }> = async (app, { config }) => {
  const metadata = {
    resource: config.openapi.mcpUrl,
    authorization_servers: [config.auth.issuer],
    // The Enginy scopes a client may ask for; `offline_access` is not one of them.
    scopes_supported: [...RESOURCE_SCOPE_LIST, 'ALL'],
    bearer_methods_supported: ['header'],
    resource_name: 'Enginy MCP (local)',
    resource_documentation: `${config.openapi.url}/docs`,
  };
  const paths = ['/.well-known/oauth-protected-resource', `/.well-known/oauth-protected-resource${new URL(config.openapi.mcpUrl).pathname}`];
  for (const url of paths) {
    app.get(url, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('cache-control', 'public, max-age=60');
      return metadata;
    });
    app.options(url, { schema: { hide: true } }, async (_request, reply) => {
      reply.header('access-control-allow-origin', '*').header('access-control-allow-methods', 'GET, OPTIONS').header('access-control-allow-headers', '*').code(204).send();
    });
  }
};
