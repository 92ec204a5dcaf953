// Discovery against real local HTTP servers that misbehave the ways deployments do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import {
  authServerMetadataUrls,
  probeTokenEndpoint,
  readAuthServerMetadata,
  readChallenge,
  readResourceMetadata,
  resourceMetadataUrls,
} from '../src/discovery.ts';
import type { StepFailure } from '../src/report.ts';

type Route = { status: number; type: string; body: string; headers?: Record<string, string> };
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** A server answering `routes(base)["METHOD path"]`, else Express's own 404 page. */
async function serve(routes: (base: string) => Record<string, Route>): Promise<string> {
  let table: Record<string, Route> = {};
  const server = createServer((request, response) => {
    const route = table[`${request.method} ${request.url}`];
    if (route === undefined) {
      response.writeHead(404, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!DOCTYPE html><html><body><pre>Cannot ${request.method} ${request.url}</pre></body></html>`);
      return;
    }
    response.writeHead(route.status, { 'content-type': route.type, ...route.headers });
    response.end(route.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  table = routes(base);
  return base;
}
const json = (body: unknown, status = 200): Route => ({ status, type: 'application/json', body: JSON.stringify(body) });
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable(),
    (error: StepFailure) => error,
  );

describe('candidate URLs in Claude Code order', () => {
  it('puts the header URL first, then the path form, then the root form', () => {
    expect(resourceMetadataUrls('http://localhost:3001/mcp', 'http://localhost:3001/x')).toEqual([
      'http://localhost:3001/x',
      'http://localhost:3001/.well-known/oauth-protected-resource/mcp',
      'http://localhost:3001/.well-known/oauth-protected-resource',
    ]);
  });
  it('inserts the well-known suffix before an issuer path (RFC 8414 §3.1)', () => {
    expect(authServerMetadataUrls('http://localhost:3002/tenant')).toEqual([
      'http://localhost:3002/.well-known/oauth-authorization-server/tenant',
      'http://localhost:3002/.well-known/openid-configuration/tenant',
    ]);
  });
});

describe('readChallenge', () => {
  it('fails "reachable" with the network error when nothing listens', async () => {
    const base = await serve(() => ({}));
    await new Promise((resolve) => servers.pop()?.close(resolve));
    const error = await failure(readChallenge(`${base}/mcp`));
    expect([error.step, error.detail]).toEqual(['reachable', `No answer from ${base}/mcp: ECONNREFUSED`]);
  });
  it('says a framework 404 is not an MCP endpoint', async () => {
    const base = await serve(() => ({}));
    const error = await failure(readChallenge(`${base}/mcp`));
    expect(error.detail).toContain('answered HTTP 404 with HTML (Cannot POST /mcp)');
    expect(error.entry).toBe('needs authentication or Cannot POST /token');
  });
  it('reads resource_metadata and scope from the Bearer challenge', async () => {
    const base = await serve((b) => ({
      'POST /mcp': {
        ...json({}, 401),
        headers: { 'www-authenticate': `Bearer resource_metadata="${b}/prm", scope="A B"` },
      },
    }));
    expect(await readChallenge(`${base}/mcp`)).toEqual({ resourceMetadataUrl: `${base}/prm`, scope: 'A B' });
  });
});

describe('readResourceMetadata', () => {
  it('lists every candidate that answered HTML or 404', async () => {
    const base = await serve(() => ({
      'GET /.well-known/oauth-protected-resource/mcp': {
        status: 200,
        type: 'text/html',
        body: '<html>app shell</html>',
      },
    }));
    const error = await failure(
      readResourceMetadata(`${base}/mcp`, { resourceMetadataUrl: undefined, scope: undefined }),
    );
    expect(error.step).toBe('resource-metadata');
    expect(error.detail).toBe(
      `No protected-resource metadata: ${base}/.well-known/oauth-protected-resource/mcp: HTTP 200 with HTML; ${base}/.well-known/oauth-protected-resource: HTTP 404 with HTML (Cannot GET /.well-known/oauth-protected-resource)`,
    );
  });
  it('falls back to the root form and catches a resource rewritten by a proxy', async () => {
    const base = await serve(() => ({
      'GET /.well-known/oauth-protected-resource': json({
        resource: 'http://internal:8080/mcp',
        authorization_servers: ['http://x'],
      }),
    }));
    const error = await failure(
      readResourceMetadata(`${base}/mcp`, { resourceMetadataUrl: undefined, scope: undefined }),
    );
    expect(error.detail).toContain(`resource is "http://internal:8080/mcp", not the MCP URL ${base}/mcp`);
  });
});

describe('readAuthServerMetadata', () => {
  const metadata = (issuer: string, extra: Record<string, unknown> = {}) => ({
    issuer,
    authorization_endpoint: `${issuer}/authorize`,
    token_endpoint: `${issuer}/token`,
    code_challenge_methods_supported: ['S256'],
    ...extra,
  });
  it('uses the OpenID alias when RFC 8414 is missing', async () => {
    const base = await serve((b) => ({ 'GET /.well-known/openid-configuration': json(metadata(b)) }));
    const as = await readAuthServerMetadata(base);
    expect([as.url, as.tokenEndpoint]).toEqual([`${base}/.well-known/openid-configuration`, `${base}/token`]);
  });
  it('refuses an issuer that differs from where it was fetched', async () => {
    const base = await serve(() => ({
      'GET /.well-known/oauth-authorization-server': json(metadata('http://localhost:9999')),
    }));
    const error = await failure(readAuthServerMetadata(base));
    expect(error.detail).toContain(`issuer is "http://localhost:9999", not ${base} where it was fetched from`);
  });
  it('refuses metadata without S256', async () => {
    const base = await serve((b) => ({
      'GET /.well-known/oauth-authorization-server': json(metadata(b, { code_challenge_methods_supported: ['plain'] })),
    }));
    expect((await failure(readAuthServerMetadata(base))).detail).toContain('does not list S256');
  });
});

describe('probeTokenEndpoint', () => {
  it('passes an OAuth JSON error and fails "Cannot POST /token"', async () => {
    const base = await serve(() => ({ 'POST /oauth/token': json({ error: 'invalid_request' }, 400) }));
    expect(await probeTokenEndpoint(`${base}/oauth/token`)).toContain('answers OAuth JSON (invalid_request)');
    const error = await failure(probeTokenEndpoint(`${base}/token`));
    expect([error.step, error.detail]).toEqual([
      'token-endpoint',
      `POST ${base}/token answered HTTP 404 with HTML (Cannot POST /token), not an OAuth JSON error`,
    ]);
  });
});
