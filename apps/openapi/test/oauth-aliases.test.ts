// The OAuth compatibility aliases (/register, /token at the MCP server's origin) relay to the auth
// service with the caller's own address, so its per-address limits see callers, not this process.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import { testConfig } from '@enginy/testing/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { type Harness, startHarness } from './helpers/harness.ts';

let upstream: Server;
const seen: { url: string; headers: IncomingHttpHeaders }[] = [];
let h: Harness;
const upstreamEnv = (port: number) => ({
  AUTH_INTERNAL_URL: `http://127.0.0.1:${port}`,
  AUTH_ISSUER: 'http://127.0.0.1:9',
});

beforeAll(async () => {
  // Stands in for the auth service at its internal URL.
  upstream = createServer((request, response) => {
    seen.push({ url: request.url ?? '', headers: request.headers });
    request.resume();
    request.on('end', () => response.writeHead(201, { 'content-type': 'application/json' }).end('{"client_id":"c"}'));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  // The issuer is what browsers use; nothing answers there (port 9, discard): the relay must use the internal URL.
  h = await startHarness(upstreamEnv(port));
});
afterAll(async () => {
  await h.close();
  await new Promise((resolve) => upstream.close(resolve));
});

describe('OAuth aliases', () => {
  it.each([
    ['/register', 'application/json', JSON.stringify({ redirect_uris: [CLAUDE_CODE_REDIRECT_URI] })],
    ['/oauth/token', 'application/x-www-form-urlencoded', 'grant_type=refresh_token&refresh_token=x&client_id=c'],
  ])(
    "POST %s reaches the auth service's internal URL with the caller's address in X-Forwarded-For, replacing one the caller sent",
    async (path, type, payload) => {
      seen.length = 0;
      const response = await h.app.inject({
        method: 'POST',
        url: path,
        remoteAddress: '127.0.0.9',
        headers: { 'content-type': type, 'x-forwarded-for': '127.0.0.66' },
        payload,
      });
      expect(response.statusCode).toBe(201);
      expect(seen).toHaveLength(1);
      expect(seen[0]?.headers['x-forwarded-for']).toBe('127.0.0.9');
    },
  );

  it('behind a configured load balancer (OPENAPI_TRUSTED_PROXIES), relays the caller the balancer names, not the balancer, nor what the caller claimed', async () => {
    const env = { ...upstreamEnv((upstream.address() as AddressInfo).port), OPENAPI_TRUSTED_PROXIES: '127.0.0.1' };
    const app = await buildApp(testConfig(h.t.url, env), { db: h.t.db });
    try {
      seen.length = 0;
      // nginx appends the caller's address to whatever X-Forwarded-For it sent.
      const response = await app.inject({
        method: 'POST',
        url: '/register',
        remoteAddress: '127.0.0.1',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': '127.0.0.66, 127.0.0.9' },
        payload: JSON.stringify({ redirect_uris: [CLAUDE_CODE_REDIRECT_URI] }),
      });
      expect(response.statusCode).toBe(201);
      expect(seen[0]?.headers['x-forwarded-for']).toBe('127.0.0.9');
    } finally {
      await app.close();
    }
  });
});
