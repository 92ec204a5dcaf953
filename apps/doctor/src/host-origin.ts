// The DNS rebinding rules of the MCP endpoint, probed from outside: a foreign Host or Origin is
// refused, the server's own origin is accepted and, on a loopback host, so is each of its loopback
// aliases. The expectations come from packages/policy's rule, the one the endpoint itself applies.
// fetch() cannot send another Host than the URL's, so the probes use node:http directly.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isAllowedOrigin, loopbackAliases } from '@enginy/policy/origin';

export interface OriginProbe {
  host: string;
  origin: string | undefined;
  expect: 'accepted' | 'refused';
}

/** A page on a site whose DNS name was made to resolve to the server (RFC 6761 reserves .example). */
const FOREIGN = 'evil.example';

export function originProbes(mcpUrl: string): OriginProbe[] {
  const url = new URL(mcpUrl);
  const own = url.origin;
  const expect = (origin: string) => (isAllowedOrigin(origin, [own]) ? 'accepted' : 'refused');
  return [
    // The server's own origin under each loopback name when it is on loopback (the MCP conformance
    // suite's localhost-host-valid-accepted sends Host and Origin alike); else just its own.
    ...loopbackAliases(own).map(
      (origin): OriginProbe => ({ host: new URL(origin).host, origin, expect: expect(origin) }),
    ),
    { host: url.host, origin: `http://${FOREIGN}`, expect: 'refused' },
    { host: `${FOREIGN}${url.port ? `:${url.port}` : ''}`, origin: undefined, expect: 'refused' },
  ];
}

/** POSTs an initialize to `mcpUrl` with the probe's Host and Origin; resolves to the status code. */
export function sendProbe(mcpUrl: string, probe: OriginProbe, token?: string): Promise<number> {
  const url = new URL(mcpUrl);
  const body = JSON.stringify({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'enginy-doctor', version: '1' } },
  });
  const headers: Record<string, string> = {
    host: probe.host,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'content-length': String(Buffer.byteLength(body)),
    ...(probe.origin === undefined ? {} : { origin: probe.origin }),
    ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      { method: 'POST', headers, timeout: 10_000, ...(url.protocol === 'https:' ? { servername: url.hostname } : {}) },
      (response) => {
        response.resume();
        response.once('end', () => resolve(response.statusCode ?? 0));
      },
    );
    req.once('timeout', () => req.destroy(new Error('no answer within 10 s')));
    req.once('error', reject);
    req.end(body);
  });
}

/**
 * What the status says of the Host/Origin check. Accepted: 2xx, or 401 (the request got past the
 * check to authentication; without a token, or with one the endpoint refuses). Refused: any other
 * 4xx (MCP: 403 for an invalid Origin). A foreign request answered 401 is not known to be refused:
 * authentication ran first.
 */
export function judge(probe: OriginProbe, status: number): string | undefined {
  const accepted = (status >= 200 && status < 300) || status === 401;
  const refused = status >= 400 && status < 500 && status !== 401;
  const what = `Host ${probe.host}${probe.origin === undefined ? ' without Origin' : `, Origin ${probe.origin}`}`;
  if (probe.expect === 'accepted' && !accepted) return `${what} answered ${status}, not accepted`;
  if (probe.expect === 'refused' && !refused) {
    return status === 401
      ? `${what} answered 401: authentication ran before the Host/Origin check, so a rebinding page is not known to be refused`
      : `${what} answered ${status}, not refused`;
  }
  return undefined;
}
