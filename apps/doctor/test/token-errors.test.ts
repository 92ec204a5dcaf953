// The token endpoint's error answers (RFC 6749 §5.2), against local servers that answer the ways
// deployments do.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { probeTokenErrors, TOKEN_PROBES } from '../src/token-errors.ts';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

type Answer = { status: number; type: string; body: string };
/** A token endpoint answering `answer(content type, body)`. */
async function tokenEndpoint(answer: (type: string, body: string) => Answer): Promise<string> {
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    const a = answer(request.headers['content-type'] ?? '', body);
    response.writeHead(a.status, { 'content-type': a.type }).end(a.body);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`;
}
const oauth = (status: number, error: string): Answer => ({
  status,
  type: 'application/json',
  body: JSON.stringify({ error }),
});

describe('probeTokenErrors', () => {
  it('passes an authorization server that answers each malformed request in OAuth terms', async () => {
    const url = await tokenEndpoint((type, body) => {
      if (!type.startsWith('application/x-www-form-urlencoded')) return oauth(400, 'invalid_request');
      return new URLSearchParams(body).has('client_id') ? oauth(400, 'invalid_grant') : oauth(401, 'invalid_client');
    });
    const { lines, problems } = await probeTokenErrors(url);
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      'an authorization_code request without code or client → 401 invalid_client',
      'a code that was never issued, for an unknown client → 400 invalid_grant',
      'an unknown grant type → 401 invalid_client',
      'a JSON body instead of a form → 400 invalid_request',
    ]);
  });

  it('names the framework error for a JSON body, a 500, and a code outside RFC 6749 §5.2', async () => {
    const url = await tokenEndpoint((type, body) => {
      // Fastify's own answer to a content type no parser is registered for.
      if (type.startsWith('application/json'))
        return {
          status: 415,
          type: 'application/json',
          body: JSON.stringify({ statusCode: 415, error: 'Unsupported Media Type' }),
        };
      if (body.includes('unknown-grant')) return { status: 500, type: 'text/plain', body: 'Internal Server Error' };
      return body.includes('never-issued') ? oauth(400, 'invalid_token') : oauth(400, 'invalid_request');
    });
    expect((await probeTokenErrors(url)).problems).toEqual([
      'a code that was never issued, for an unknown client answered error "invalid_token", not one of invalid_client, invalid_grant',
      'an unknown grant type answered HTTP 500 with invalid JSON, not 400 (or 401) with an OAuth error',
      'a JSON body instead of a form answered HTTP 415 with JSON, not 400 (or 401) with an OAuth error',
    ]);
  });

  it('refuses an OAuth error sent as HTML', async () => {
    const url = await tokenEndpoint(() => ({ status: 400, type: 'text/html', body: '{"error":"invalid_request"}' }));
    expect((await probeTokenErrors(url)).problems).toHaveLength(TOKEN_PROBES.length);
    expect((await probeTokenErrors(url)).problems[0]).toBe(
      'an authorization_code request without code or client answered Content-Type text/html, not application/json',
    );
  });
});
