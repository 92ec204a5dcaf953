import type { StackConfig } from '@enginy/config/load';
import type { LoadScenarioName } from './bench-args.ts';
import { type Measurement, measure, measureLoop, type Target } from './measure.ts';
import type { Session } from '@enginy/testing/oauth-client';
import { benchClient } from './oauth-flow.ts';

/** What the load scenarios run against, prepared once per run. */
export interface Fixture {
  config: StackConfig;
  /** Our OAuth access tokens, one per pre-registered client. */
  accessTokens: string[];
  apiKeys: string[];
  session: Session;
  peer?: { url: string; tokens: string[] };
  /** The scale topology (2× openapi, 2× auth behind nginx) on the same database, and tokens for its MCP URL. */
  replicated?: { mcpUrl: string; tokens: string[] };
}

export interface LoadScenario {
  name: LoadScenarioName;
  label: string;
  /** One measurement at `connections` for `duration` seconds. */
  run(fixture: Fixture, connections: number, duration: number): Promise<Measurement>;
}

const MCP_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const toolCall = (name: string, args: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } });
// A 200 can still carry a JSON-RPC error or a tool error: those count as errors.
const servedToolCall = (status: number, body: string) =>
  status === 200 && body.includes('"result"') && !body.includes('"isError":true');
const bearer = (tokens: string[]) => tokens.map((token) => ({ authorization: `Bearer ${token}` }));

function mcpTarget(
  url: string,
  tokens: string[],
  tool: string,
  args?: Record<string, unknown>,
): Omit<Target, 'scenario' | 'connections' | 'duration'> {
  return {
    url,
    method: 'POST',
    headers: MCP_HEADERS,
    body: toolCall(tool, args),
    credentials: bearer(tokens),
    onResponse: servedToolCall,
  };
}

/** Live refresh tokens, each used once and replaced by the one its rotation returns. */
class RefreshPool {
  private readonly tokens: string[] = [];
  clientId: string | undefined;

  async fill(fixture: Fixture, size: number): Promise<void> {
    this.clientId ??= (await benchClient(fixture.config).register()).client_id;
    const clientId = this.clientId;
    const missing = size - this.tokens.length;
    const workers = Math.min(10, Math.max(0, missing));
    let left = missing;
    await Promise.all(
      Array.from({ length: workers }, async () => {
        while (left-- > 0)
          this.tokens.push(
            (await benchClient(fixture.config).authorizeAndRedeem(fixture.session, { clientId })).refresh_token,
          );
      }),
    );
  }

  take(): string {
    return this.tokens.shift() ?? 'pool-empty';
  }

  give(token: string): void {
    this.tokens.push(token);
  }
}
const refreshPool = new RefreshPool();

export const LOAD_SCENARIOS: LoadScenario[] = [
  {
    name: 'bare',
    label: 'GET /healthz: bare Fastify route (no auth, no DB), the ceiling',
    run: (f, connections, duration) =>
      measure({ scenario: 'bare', url: `${f.config.openapi.url}/healthz`, connections, duration }),
  },
  {
    name: 'mcp',
    label: 'MCP tools/call mcp_whoami (Bearer; ours)',
    run: (f, connections, duration) =>
      measure({
        scenario: 'mcp',
        connections,
        duration,
        ...mcpTarget(f.config.openapi.mcpUrl, f.accessTokens, 'mcp_whoami'),
      }),
  },
  {
    name: 'peer',
    label: "MCP tools/call mcp_whoami (Bearer; the SDK's Express reference stack)",
    run: (f, connections, duration) => {
      if (f.peer === undefined) throw new Error('the peer is not running');
      return measure({
        scenario: 'peer',
        connections,
        duration,
        ...mcpTarget(`${f.peer.url}/mcp`, f.peer.tokens, 'mcp_whoami'),
      });
    },
  },
  {
    name: 'replicated',
    label: 'MCP tools/call mcp_whoami through nginx, 2 openapi replicas (pnpm dev --replicas 2)',
    run: (f, connections, duration) => {
      if (f.replicated === undefined) throw new Error('the replicated stack is not running');
      return measure({
        scenario: 'replicated',
        connections,
        duration,
        ...mcpTarget(f.replicated.mcpUrl, f.replicated.tokens, 'mcp_whoami'),
      });
    },
  },
  {
    name: 'read',
    label: 'MCP tools/call get_credits (Bearer; operation handler + DB read)',
    run: (f, connections, duration) =>
      measure({
        scenario: 'read',
        connections,
        duration,
        ...mcpTarget(f.config.openapi.mcpUrl, f.accessTokens, 'get_credits'),
      }),
  },
  {
    name: 'credits',
    label: 'REST GET /v1/credits (x-api-key; DB read)',
    run: (f, connections, duration) =>
      measure({
        scenario: 'credits',
        url: `${f.config.openapi.url}/v1/credits`,
        connections,
        duration,
        credentials: f.apiKeys.map((key) => ({ 'x-api-key': key })),
      }),
  },
  {
    name: 'refresh',
    label: 'POST /token refresh_token grant (rotation every request)',
    run: async (f, connections, duration) => {
      // A request cut off at the end of a run may have spent its token: top up before each run.
      await refreshPool.fill(f, connections * 2);
      const clientId = refreshPool.clientId ?? '';
      return measure({
        scenario: 'refresh',
        url: `${f.config.auth.issuer}/token`,
        connections,
        duration,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        nextBody: () =>
          new URLSearchParams({
            grant_type: 'refresh_token',
            refresh_token: refreshPool.take(),
            client_id: clientId,
          }).toString(),
        onResponse: (status, body) => {
          if (status !== 200) return false;
          refreshPool.give((JSON.parse(body) as { refresh_token: string }).refresh_token);
          return true;
        },
      });
    },
  },
  {
    name: 'authflow',
    label: 'Authorization flow: register → authorize → consent (signed in) → token',
    run: (f, connections, duration) =>
      measureLoop({
        scenario: 'authflow',
        connections,
        duration,
        once: async () => {
          await benchClient(f.config).authorizeAndRedeem(f.session);
        },
      }),
  },
];
