import type { FastifyInstance } from 'fastify';

/**
 * CORS `*` without credentials for the public endpoints (metadata, token, register, revoke), so
 * browser-based MCP clients can reach them. Never for /authorize or the session and consent API.
 */
export function allowAnyOrigin(app: FastifyInstance, urls: readonly string[]): void {
  const open = new Set(urls);
  app.addHook('onSend', async (request, reply, payload) => {
    if (request.routeOptions.url !== undefined && open.has(request.routeOptions.url)) {
      reply.header('access-control-allow-origin', '*');
      reply.header('access-control-expose-headers', 'WWW-Authenticate');
    }
    return payload;
  });
  for (const url of urls) {
    app.options(url, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'Authorization, Content-Type, MCP-Protocol-Version')
        .header('access-control-max-age', '86400')
        .send(),
    );
  }
}
