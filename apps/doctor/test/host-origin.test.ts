// The Host/Origin probes: which ones, what their answers mean, and that they reach a real server
// with the Host and Origin they claim (fetch() would send the URL's own Host).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { judge, type OriginProbe, originProbes, sendProbe } from '../src/host-origin.ts';

describe('originProbes', () => {
  it('on loopback: the own origin under each loopback name is accepted, another site refused', () => {
    expect(originProbes('http://localhost:3001/mcp')).toEqual([
      { host: 'localhost:3001', origin: 'http://localhost:3001', expect: 'accepted' },
      { host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3001', expect: 'accepted' },
      { host: '[::1]:3001', origin: 'http://[::1]:3001', expect: 'accepted' },
      { host: 'localhost:3001', origin: 'http://evil.example', expect: 'refused' },
      { host: 'evil.example:3001', origin: undefined, expect: 'refused' },
    ]);
  });
  it('on a public host: only its own origin, no loopback aliases', () => {
    expect(originProbes('https://mcp.enginy.ai/mcp')).toEqual([
      { host: 'mcp.enginy.ai', origin: 'https://mcp.enginy.ai', expect: 'accepted' },
      { host: 'mcp.enginy.ai', origin: 'http://evil.example', expect: 'refused' },
      { host: 'evil.example', origin: undefined, expect: 'refused' },
    ]);
  });
});

describe('judge', () => {
  const accepted: OriginProbe = { host: '127.0.0.1:3001', origin: 'http://127.0.0.1:3001', expect: 'accepted' };
  const refused: OriginProbe = { host: 'localhost:3001', origin: 'http://evil.example', expect: 'refused' };
  it.each([
    [accepted, 200, undefined],
    [accepted, 401, undefined],
    [accepted, 403, 'Host 127.0.0.1:3001, Origin http://127.0.0.1:3001 answered 403, not accepted'],
    [accepted, 500, 'Host 127.0.0.1:3001, Origin http://127.0.0.1:3001 answered 500, not accepted'],
    [refused, 403, undefined],
    [refused, 421, undefined],
    [refused, 200, 'Host localhost:3001, Origin http://evil.example answered 200, not refused'],
    [
      refused,
      401,
      'Host localhost:3001, Origin http://evil.example answered 401: authentication ran before the Host/Origin check, so a rebinding page is not known to be refused',
    ],
  ])('%j answered %i', (probe, status, problem) => {
    expect(judge(probe, status)).toBe(problem);
  });
});

describe('against a server', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  /** An MCP endpoint on loopback that checks Host and Origin with `allowed` before the bearer token. */
  async function endpoint(
    allowed: (origin: string, own: string) => boolean,
  ): Promise<{ url: string; seen: IncomingMessage['headers'][] }> {
    const seen: IncomingMessage['headers'][] = [];
    const server = createServer((request, response) => {
      seen.push(request.headers);
      const own = `http://localhost:${(server.address() as AddressInfo).port}`;
      const host = new URL(`http://${request.headers.host}`).hostname;
      const origin = request.headers.origin;
      const ok = ['localhost', '127.0.0.1', '[::1]'].includes(host) && (origin === undefined || allowed(origin, own));
      response.writeHead(ok ? 401 : 403).end();
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://localhost:${(server.address() as AddressInfo).port}/mcp`, seen };
  }
  const problemsAt = async (url: string) => {
    const problems: string[] = [];
    for (const probe of originProbes(url)) problems.push(judge(probe, await sendProbe(url, probe)) ?? 'ok');
    return problems;
  };

  it('sends each probe with its own Host and Origin, and the token when there is one', async () => {
    const { url, seen } = await endpoint(() => true);
    const [probe] = originProbes(url).slice(-1) as [OriginProbe];
    await sendProbe(url, probe, 'eat_x');
    await sendProbe(url, originProbes(url)[1] as OriginProbe);
    expect(seen.map((h) => [h.host, h.origin, h.authorization])).toEqual([
      [probe.host, undefined, 'Bearer eat_x'],
      [`127.0.0.1:${new URL(url).port}`, `http://127.0.0.1:${new URL(url).port}`, undefined],
    ]);
  });

  it('finds an endpoint that refuses its own origin under 127.0.0.1 and [::1] (exact origin match)', async () => {
    const { url } = await endpoint((origin, own) => origin === own);
    const port = new URL(url).port;
    expect(await problemsAt(url)).toEqual([
      'ok',
      `Host 127.0.0.1:${port}, Origin http://127.0.0.1:${port} answered 403, not accepted`,
      `Host [::1]:${port}, Origin http://[::1]:${port} answered 403, not accepted`,
      'ok',
      'ok',
    ]);
  });

  it('finds an endpoint that lets every Origin through', async () => {
    const { url } = await endpoint(() => true);
    expect((await problemsAt(url))[3]).toBe(
      `Host localhost:${new URL(url).port}, Origin http://evil.example answered 401: authentication ran before the Host/Origin check, so a rebinding page is not known to be refused`,
    );
  });
});
