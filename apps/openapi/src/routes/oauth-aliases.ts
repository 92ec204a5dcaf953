import type { StackConfig } from '@enginy/config/load';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

// Clients that fail discovery guess /authorize, /token and /register at the MCP server's origin
// root ("Cannot POST /token"). These aliases send them to the authorization server. Hidden from the
// OpenAPI document: they are not API operations (and must never become MCP tools).
const HIDDEN = { schema: { hide: true } } as const;
const FORWARDED_HEADERS = ['content-type', 'cache-control', 'pragma', 'www-authenticate', 'retry-after'];

async function forward(config: StackConfig, path: string, request: FastifyRequest, reply: FastifyReply) {
  const contentType = request.headers['content-type'] ?? '';
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body ?? {});
  // The caller's address, for the auth service's per-address limits (registration, token requests):
  // else every client arriving here shared this process's one address, one rate-limit bucket and one
  // registration dedup key. Set, never appended: what a client sent as X-Forwarded-For is dropped,
  // since the auth service believes this header from the stack's own proxies only (TRUSTED_PROXIES).
  // request.ip is the socket's peer, or the caller a configured load balancer names (OPENAPI_TRUSTED_PROXIES).
  const headers: Record<string, string> = {
    'content-type': contentType || 'application/json',
    'x-forwarded-for': request.ip,
  };
  if (request.headers.authorization !== undefined) headers.authorization = request.headers.authorization;
  let upstream: Response;
  try {
    // The internal URL: inside docker compose the issuer's localhost is not the auth container.
    upstream = await fetch(`${config.auth.internalUrl}${path}`, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(10_000),
    });
  } catch {
    return reply.code(502).send({
      error: 'temporarily_unavailable',
      error_description: `The authorization server ${config.auth.issuer} did not answer`,
    });
  }
  for (const name of FORWARDED_HEADERS) {
    const value = upstream.headers.get(name);
    if (value !== null) reply.header(name, value);
  }
  return reply
    .code(upstream.status)
    .header('access-control-allow-origin', '*')
    .send(await upstream.text());
}

export const oauthAliasRoutes: FastifyPluginAsync<{ config: StackConfig }> = async (app, { config }) => {
  // Token requests are form-encoded; keep the body as sent, to forward it unchanged (this plugin only).
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );

  for (const path of ['/authorize', '/oauth/authorize']) {
    app.get(path, HIDDEN, async (request, reply) => {
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`${config.auth.issuer}/authorize${query}`, 302);
    });
  }
  for (const [path, target] of [
    ['/token', '/token'],
    ['/oauth/token', '/token'],
    ['/register', '/register'],
    ['/oauth/register', '/register'],
  ] as const) {
    app.post(path, HIDDEN, (request, reply) => forward(config, target, request, reply));
    app.options(path, HIDDEN, async (_request, reply) =>
      reply
        .code(204)
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST, OPTIONS')
        .header('access-control-allow-headers', 'Authorization, Content-Type')
        .send(),
    );
  }
};
