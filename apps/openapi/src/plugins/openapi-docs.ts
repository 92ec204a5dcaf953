import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { TAGS } from '../operations/tags.ts';
import { type OpenApiDocument, publish } from './openapi-publish.ts';

/**
 * The OpenAPI 3.1 document, built from the routes' own schemas, at `/definitions.json` (the path the
 * MCP server reads tools from), and a browsable reference at `/docs` whose assets ship inside
 * @fastify/swagger-ui, so it works offline. Both show the published form (named components).
 */
const docs: FastifyPluginAsync = async (app) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Enginy API (local)',
        version: '1.0.0',
        description:
          'Enginy REST API. Authenticate with `x-api-key: gsk_...`; each operation states its required scope and rate limit. ' +
          'Lists answer `{ data, meta: { page, pageSize, total } }`, other operations `{ status: "success", message, data }`, errors `{ status: "error", code, message }`. ' +
          'A method a path does not support answers 405 with `Allow`.',
        contact: { name: 'Enginy', url: 'https://enginy.ai' },
        // Not open source: an SPDX reference to a license of its own, as SPDX writes one.
        license: { name: 'Proprietary', identifier: 'LicenseRef-Enginy-Proprietary' },
      },
      // Relative: the API is at the origin that serves this document, whatever host and port
      // (a local stack, a container's mapped port, a test on port 0).
      servers: [{ url: '/', description: 'The origin serving this document' }],
      tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
      components: { securitySchemes: { apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' } } },
    },
    // Only the API's operations: every documented operation becomes an MCP tool, and health
    // probes or the docs themselves must not.
    transform: ({ schema, url }) => ({ schema: url.startsWith('/v1/') ? schema : { ...schema, hide: true }, url }),
  });
  let published: OpenApiDocument | undefined;
  const document = () => {
    published ??= publish(app.swagger() as unknown as OpenApiDocument);
    return published;
  };
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true, validatorUrl: null },
    staticCSP: true,
    transformSpecification: document,
  });
  app.get('/definitions.json', { schema: { hide: true } }, async () => document());
};

export default fp(docs, { name: 'openapi-docs', fastify: '5.x' });
