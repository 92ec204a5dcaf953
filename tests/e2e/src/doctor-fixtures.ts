// Broken deployments in front of the real stack, for the doctor's "needs authentication or Cannot
// POST /token" family: a proxy that loses the metadata, one that rewrites the resource, and an
// authorization server whose token endpoint is a framework 404.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestStack } from '@enginy/stack/test-stack';

export type BrokenDeployment = 'metadata-html' | 'proxy-rewrites-resource' | 'token-cannot-post';

const expressNotFound = (request: IncomingMessage, response: ServerResponse) => {
  response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
  response.end(
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Error</title></head><body><pre>Cannot ${request.method} ${request.url}</pre></body></html>`,
  );
};

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Forwards POST /mcp to the stack's MCP endpoint, optionally rewriting the 401 challenge. */
async function forwardMcp(
  stack: TestStack,
  request: IncomingMessage,
  response: ServerResponse,
  challenge: (header: string) => string,
) {
  const upstream = await fetch(stack.config.openapi.mcpUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: request.headers.accept ?? 'application/json, text/event-stream',
    },
    body: await readBody(request),
  });
  const header = upstream.headers.get('www-authenticate');
  response.writeHead(upstream.status, {
    'content-type': upstream.headers.get('content-type') ?? 'application/json',
    ...(header ? { 'www-authenticate': challenge(header) } : {}),
  });
  response.end(await upstream.text());
}

/** Serves `kind` on a loopback port; its MCP URL is `${url}/mcp`. */
export async function serveBrokenDeployment(
  stack: TestStack,
  kind: BrokenDeployment,
): Promise<{ mcpUrl: string; close: () => Promise<void> }> {
  let base = '';
  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    const route = `${request.method} ${request.url}`;
    if (route === 'POST /mcp' && kind === 'metadata-html') {
      // A stale proxy: the challenge lost its resource_metadata, the well-known paths are not routed.
      return forwardMcp(stack, request, response, () => 'Bearer');
    }
    if (route === 'POST /mcp' && kind === 'proxy-rewrites-resource')
      return forwardMcp(stack, request, response, (header) => header);
    if (kind !== 'token-cannot-post') return expressNotFound(request, response);
    // An authorization server that publishes valid metadata but whose /token is not routed.
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    if (route === 'POST /mcp')
      return json(
        401,
        { error: 'unauthorized' },
        { 'www-authenticate': `Bearer resource_metadata="${base}/.well-known/oauth-protected-resource/mcp"` },
      );
    if (route === 'GET /.well-known/oauth-protected-resource/mcp')
      return json(200, { resource: `${base}/mcp`, authorization_servers: [base], scopes_supported: ['CONTACTS_READ'] });
    if (route === 'GET /.well-known/oauth-authorization-server') {
      return json(200, {
        issuer: base,
        authorization_endpoint: `${stack.config.auth.issuer}/authorize`,
        token_endpoint: `${base}/token`,
        registration_endpoint: `${stack.config.auth.issuer}/register`,
        code_challenge_methods_supported: ['S256'],
      });
    }
    return expressNotFound(request, response);
  };
  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: Error) => {
      response.writeHead(502).end(error.message);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://localhost:${(server.address() as AddressInfo).port}`;
  return { mcpUrl: `${base}/mcp`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
