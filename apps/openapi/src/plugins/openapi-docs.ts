import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';

export interface DocsOptions {
  serverUrl: string;
}

/**
 * The OpenAPI 3.1 document, built from the routes' own schemas, at `/definitions.json` (the path the
 * MCP server reads tools from), and a browsable reference at `/docs` whose assets ship inside
 * @fastify/swagger-ui, so it works offline.
 */
const docs: FastifyPluginAsync<DocsOptions> = async (app, { serverUrl }) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Enginy API (local)',
        version: '1.0.0',
        description:
          'Enginy REST API. Authenticate with `x-api-key: gsk_...`; each operation states its required scope and rate limit. ' +
          'Lists answer `{ data, meta: { page, pageSize, total } }`, other operations `{ status: "success", message, data }`, errors `{ status: "error", code, message }`.',
      },
      servers: [{ url: serverUrl }],
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
    // Only the API's operations: every documented operation becomes an MCP tool, and health
    // probes or the docs themselves must not.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/v1/') ? schema : { ...schema, hide: true }, url }),
  });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
    staticCSP: true,
  });
  app.get('/definitions.json', { schema: { hide: true } }, async () => app.swagger());
};

export default fp(docs, { name: 'openapi-docs', fastify: '5.x' });
