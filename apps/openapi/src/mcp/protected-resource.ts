import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { statedAuthorizationServer } from '../lab/issuer-moved.ts';
import { statedResource } from '../lab/resource-mismatch.ts';
import { scopeHint } from './scope-hint.ts';

/**
 * Protected Resource Metadata (RFC 9728) in both forms MCP clients try: the path form
 * (`/.well-known/oauth-protected-resource/mcp`, §3.1) and the root form. CORS `*` without
 * credentials, so browser-based clients can read it.
 *
 * `scopes_supported` lists what can be granted today: the scopes of the MCP-enabled workspaces'
 * active policies, computed as the 401 challenge's `scope` is. Claude Code, Codex and Gemini CLI ask
 * for the whole list on `mcp login`, so listing every Enginy scope made them ask for more than the
 * seeded read-only policy allows, and fail. Omitted while no workspace grants anything (RFC 9728 §2:
 * the member is OPTIONAL); `offline_access` is never in it.
 */
export const protectedResourceRoutes: FastifyPluginAsync<{ config: StackConfig; db: Db }> = async (
  app,
  { config, db },
) => {
  const metadata = async (request: FastifyRequest) => {
    const scopes = await scopeHint(db);
    const lab = await request.labSwitches();
    return {
      // RFC 9728 §3.3: identical to the URL the metadata was fetched for (the failure lab may break that).
      resource: statedResource(config.openapi.mcpUrl, lab),
      authorization_servers: [statedAuthorizationServer(config.auth.issuer, lab)],
      ...(scopes.length === 0 ? {} : { scopes_supported: scopes }),
      bearer_methods_supported: ['header'],
      resource_name: 'Enginy MCP (local)',
      resource_documentation: `${config.openapi.url}/docs`,
    };
  };
  const paths = [
    '/.well-known/oauth-protected-resource',
    `/.well-known/oauth-protected-resource${new URL(config.openapi.mcpUrl).pathname}`,
  ];
  for (const url of paths) {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      // Revalidated every time: a policy change must show in the very next discovery.
      reply.header('access-control-allow-origin', '*').header('cache-control', 'no-cache');
      return metadata(request);
    });
    app.options(url, { schema: { hide: true } }, async (_request, reply) => {
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, OPTIONS')
        .header('access-control-allow-headers', '*')
        .code(204)
        .send();
    });
  }
};
