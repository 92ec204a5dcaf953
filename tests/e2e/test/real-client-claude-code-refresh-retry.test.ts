// The refresh retry window, measured with the real Claude Code: a loopback proxy in front of the
// authorization server forwards Claude's refresh (so the rotation happens) and drops its answer. Claude
// retries the same refresh token; within the retry grace (10 s) that identical retry gets the same
// answer, so it stays Connected, and the grant is neither revoked nor doubled. The delay it took is
// what the README's security notes cite.
import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { type AddressInfo, createServer as createNetServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { cliCommand, inTty, loginThroughBrowser, run, scratch } from '../src/agent-clis.ts';
import { consoleApi } from '../src/console-api.ts';
import { freeCallbackPort } from '../src/real-clients.ts';
import { useStack } from '../src/stack-fixture.ts';

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

interface RefreshSeen {
  at: number;
  /** A digest of the refresh token presented (the token itself is never kept). */
  token: string;
  status?: number;
  dropped?: boolean;
}

const authPort = await freePort();
const proxyPort = await freePort();
const refreshes: RefreshSeen[] = [];
let dropNext = false;
const proxy: Server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks);
    const form = new URLSearchParams(request.url === '/token' ? body.toString() : '');
    const seen: RefreshSeen | undefined =
      form.get('grant_type') === 'refresh_token'
        ? {
            at: Date.now(),
            token: createHash('sha256')
              .update(form.get('refresh_token') ?? '')
              .digest('hex')
              .slice(0, 12),
          }
        : undefined;
    if (seen) refreshes.push(seen);
    const upstream = httpRequest(
      { host: '127.0.0.1', port: authPort, method: request.method, path: request.url, headers: request.headers },
      (answer) => {
        if (seen) seen.status = answer.statusCode;
        if (seen && dropNext) {
          // The rotation happened upstream; its answer never reaches Claude.
          dropNext = false;
          seen.dropped = true;
          answer.resume();
          request.socket.destroy();
          return;
        }
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on('error', () => response.destroy());
    upstream.end(body);
  });
});
await new Promise<void>((resolve) => proxy.listen(proxyPort, '127.0.0.1', resolve));

// Claude refreshes a token this short-lived on each `claude mcp list`.
const e2e = useStack({
  ACCESS_TOKEN_TTL_SECONDS: '60',
  AUTH_PORT: String(authPort),
  AUTH_ISSUER: `http://localhost:${proxyPort}`,
});
const claude = cliCommand('claude');
const s = scratch('claude');
const cli = (...args: string[]) => run([...claude, ...args], { cwd: s.project, env: s.env });
afterAll(async () => {
  s.remove();
  await new Promise((resolve) => proxy.close(resolve));
});

describe('Claude Code whose refresh answer is lost', () => {
  it('retries the same refresh token within the grace, gets the same answer, and stays Connected on one grant', async () => {
    const { mcpUrl } = e2e.stack.config.openapi;
    expect((await cli('mcp', 'add', '--transport', 'http', '--callback-port', '3118', 'enginy', mcpUrl)).code).toBe(0);
    await freeCallbackPort();
    const login = await loginThroughBrowser(s, inTty([...claude, 'mcp', 'login', 'enginy']), 1);
    expect(login.browser.errorText, login.browser.pageText).toBeUndefined();
    const admin = await consoleApi(e2e.stack);
    const grants = (await admin.connections()).map((connection) => connection.grantId);
    expect(grants).toHaveLength(1);

    dropNext = true;
    const seenBefore = refreshes.length;
    const listed = await cli('mcp', 'list');
    expect(listed.output).toMatch(/^enginy: .*✔ Connected/m);

    const during = refreshes.slice(seenBefore);
    const dropped = during.find((seen) => seen.dropped);
    expect(dropped?.status, JSON.stringify(during)).toBe(200);
    const retry = during.find((seen) => !seen.dropped && seen.token === dropped?.token);
    expect(retry, 'Claude Code presented the same refresh token again').toBeDefined();
    expect(retry?.status).toBe(200);
    const delay = ((retry?.at ?? 0) - (dropped?.at ?? 0)) / 1000;
    // biome-ignore lint/suspicious/noConsole: the measured delay is the figure this test reports.
    console.log(
      `[real-client] claude retried a refresh whose answer was lost after ${delay.toFixed(2)} s (retry grace 10 s)`,
    );
    expect(delay).toBeLessThan(10);
    // The replay continued the grant: no reuse detected, still one connection, the same one.
    expect((await admin.connections()).map((connection) => connection.grantId)).toEqual(grants);
    expect((await cli('mcp', 'list')).output).toMatch(/^enginy: .*✔ Connected/m);
  });
});
