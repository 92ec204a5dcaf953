// A client ID metadata document whose host accepts the connection and then never answers (or drips
// one byte at a time) must hold up only the /authorize that names it: everything else answers while
// it hangs, and the hanging request ends with a clear error in bounded time.
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAlive } from '../src/alive.ts';
import { unclearError } from '../src/clear-error.ts';
import { rawRequest } from '../src/http.ts';
import { form, pkcePair } from '@enginy/testing/oauth-client';
import { oauthOf } from '../src/oauth.ts';
import { CALLBACK, useStack } from '../src/stack.ts';

// The document fetch's own limit is 5 s; the hanging /authorize must be over well within this.
const BOUND_MS = 10_000;
// Strict, as in production: a host that times out is unreachable, and in development the stack would
// go on with an unverified loopback-only client (apps/auth/test/cimd-offline.test.ts); here the
// time-out itself must end the request with invalid_client.
const h = useStack({
  CIMD_ALLOW_HTTP_LOCALHOST: 'true',
  CIMD_BUNDLED_DOCUMENTS: 'false',
  CIMD_UNVERIFIED_LOOPBACK: 'false',
});
const sockets = new Set<Socket>();
let silent: Server;
let drip: HttpServer;

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

beforeAll(async () => {
  // Accepts, reads, never writes a byte.
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
  });
  // Answers 200 at once, then one byte of the document per second.
  drip = createHttpServer((_request, response) => {
    sockets.add(response.socket as Socket);
    response.writeHead(200, { 'content-type': 'application/json' });
    const timer = setInterval(() => response.write(' '), 1_000);
    response.on('close', () => clearInterval(timer));
  });
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all([silent, drip].map((server) => new Promise((resolve) => server.close(resolve))));
});

async function hangingAuthorize(documentUrl: string) {
  const started = performance.now();
  const url = `${h.stack.config.auth.issuer}/authorize?${form({ response_type: 'code', client_id: documentUrl, redirect_uri: CALLBACK, code_challenge: pkcePair().challenge, code_challenge_method: 'S256' })}`;
  const answer = await rawRequest(url, { timeoutMs: BOUND_MS + 5_000 });
  return { answer, ms: performance.now() - started };
}

describe('a slow or hanging client metadata document host', () => {
  for (const [name, server] of [
    ['accepts and never answers', () => silent],
    ['drips the document one byte a second', () => drip],
  ] as const) {
    it(`a host that ${name} blocks nothing else, and its /authorize ends with a clear error in bounded time`, async () => {
      const { config } = h.stack;
      const port = await (server().listening
        ? Promise.resolve((server().address() as { port: number }).port)
        : listen(server()));
      const pending = hangingAuthorize(`http://localhost:${port}/client-metadata.json`);
      let settled = false;
      void pending.then(() => {
        settled = true;
      });

      // While it hangs: liveness, readiness, metadata, a registration and a whole other /authorize.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const clientId = (await oauthOf(config).register()).client_id;
      const others = await Promise.all([
        fetch(`${config.auth.issuer}/healthz`).then((r) => r.status),
        fetch(`${config.auth.issuer}/readyz`).then((r) => r.status),
        fetch(`${config.auth.issuer}/.well-known/oauth-authorization-server`).then((r) => r.status),
        oauthOf(config)
          .startAuthorization({ clientId, challenge: pkcePair().challenge })
          .then(() => 302),
      ]);
      expect(others).toEqual([200, 200, 200, 302]);
      expect(settled, 'the other requests were answered while the document fetch still hung').toBe(false);

      const { answer, ms } = await pending;
      expect(ms).toBeLessThan(BOUND_MS);
      expect(answer.status).toBe(400);
      expect(answer.headers.location).toBeUndefined();
      expect(await unclearError(answer.response())).toBeUndefined();
      expect(JSON.parse(answer.text)).toMatchObject({
        error: 'invalid_client',
        error_description: expect.stringContaining('could not be used'),
      });
      await expectAlive(h.stack);
    });
  }

  it('many /authorize naming the hanging host at once do not starve the server', async () => {
    const { config } = h.stack;
    const port = silent.listening ? (silent.address() as { port: number }).port : await listen(silent);
    const hanging = Array.from({ length: 20 }, (_, i) => hangingAuthorize(`http://localhost:${port}/doc-${i}.json`));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const clientId = (await oauthOf(config).register()).client_id;
    await oauthOf(config).startAuthorization({ clientId, challenge: pkcePair().challenge });
    expect((await fetch(`${config.auth.issuer}/healthz`)).status).toBe(200);
    const results = await Promise.all(hanging);
    expect(results.map((r) => r.answer.status)).toEqual(Array(20).fill(400));
    expect(Math.max(...results.map((r) => r.ms))).toBeLessThan(BOUND_MS);
    await expectAlive(h.stack);
  });
});
