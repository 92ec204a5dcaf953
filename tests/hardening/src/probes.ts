// One request of each kind the stack serves, for the fault tests: each resolves to what came back
// (status and body) or to the transport error, and never waits longer than `timeoutMs`.
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import { form } from '@enginy/testing/oauth-client';
import { rawRequest } from './http.ts';
import { MCP_HEADERS } from './mcp.ts';

export interface Outcome {
  kind: string;
  status: number | 'error';
  body: string;
  ms: number;
}

export async function timed(kind: string, request: () => Promise<Response>): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await request();
    return { kind, status: response.status, body: await response.text(), ms: performance.now() - started };
  } catch (error) {
    return { kind, status: 'error', body: String((error as Error).cause ?? error), ms: performance.now() - started };
  }
}

export interface ProbeCredentials {
  apiKey: string;
  accessToken: string;
  clientId: string;
  /** Updated by a successful refresh probe (rotation). */
  refreshToken: string;
}

/** A REST read, an MCP tool call, a refresh and a new /authorize: one of each, concurrently. */
export function probeAll(config: StackConfig, c: ProbeCredentials, timeoutMs: number): Promise<Outcome[]> {
  const signal = () => AbortSignal.timeout(timeoutMs);
  return Promise.all([
    timed('rest', () =>
      fetch(`${config.openapi.url}/v1/credits`, { headers: { 'x-api-key': c.apiKey }, signal: signal() }),
    ),
    timed('mcp', () =>
      fetch(config.openapi.mcpUrl, {
        method: 'POST',
        headers: { ...MCP_HEADERS, authorization: `Bearer ${c.accessToken}` },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/call',
          params: { name: 'mcp_whoami', arguments: {} },
        }),
        signal: signal(),
      }),
    ),
    timed('refresh', async () => {
      const response = await fetch(`${config.auth.issuer}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form({ grant_type: 'refresh_token', refresh_token: c.refreshToken, client_id: c.clientId }),
        signal: signal(),
      });
      if (response.status !== 200) return response;
      const text = await response.text();
      const tokens = JSON.parse(text) as { access_token: string; refresh_token: string };
      c.refreshToken = tokens.refresh_token;
      c.accessToken = tokens.access_token;
      return new Response(text, { status: 200 });
    }),
    // From a rotating loopback address: /authorize is limited per address, and that limit is not under test.
    timed('authorize', async () =>
      (
        await rawRequest(
          `${config.auth.issuer}/authorize?${form({ response_type: 'code', client_id: c.clientId, redirect_uri: CLAUDE_CODE_REDIRECT_URI, code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })}`,
          { timeoutMs },
        )
      ).response(),
    ),
    timed('readyz openapi', () => fetch(`${config.openapi.url}/readyz`, { signal: signal() })),
    timed('readyz auth', () => fetch(`${config.auth.issuer}/readyz`, { signal: signal() })),
  ]);
}

/** A success: 2xx, or the 302 with which /authorize hands over to the consent page. */
export function succeeded(outcome: Outcome): boolean {
  if (outcome.status === 'error') return false;
  if (outcome.kind === 'mcp') return outcome.status === 200 && !outcome.body.includes('"isError":true');
  return (outcome.status >= 200 && outcome.status < 300) || (outcome.kind === 'authorize' && outcome.status === 302);
}
