// `pnpm bench <scenario> [--url http://localhost:3001] [--duration 10] [--connections 50]`
//   credits  GET /v1/credits with API keys, through the whole gate (key lookup, scope check, rate
//            limit, database read, serialization)
//   mcp      authenticated MCP `tools/call` of mcp_whoami (bearer verification, a stateless MCP
//            server per request, the tool's database read)
// Each beside a bare Fastify JSON route (/healthz: no auth, no database) measured in the same run.
// Without --url it starts the real stack on free ports (startTestStack); with --url it targets a
// running stack and issues its credentials on that stack's database (the dev stack's embedded
// PostgreSQL, or DATABASE_URL).
import { parseArgs } from 'node:util';
import { loadConfig, type StackConfig } from '@enginy/config/load';
import { resolveDatabase } from '@enginy/stack/database';
import { startTestStack } from '@enginy/stack/test-stack';
import { withAccessTokens, withApiKeys } from './credentials.ts';
import { measure, type Measurement } from './measure.ts';
import { printTable } from './table.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const duration = Number(values.duration);
const connections = Number(values.connections);

type Scenario = (baseUrl: string, databaseUrl: string, config: StackConfig) => Promise<Measurement[]>;

const bare = (baseUrl: string) => measure({ label: 'GET /healthz (bare Fastify route: no auth, no DB)', url: `${baseUrl}/healthz`, duration, connections });

const SCENARIOS: Record<string, Scenario> = {
  credits: (baseUrl, databaseUrl, config) =>
    withApiKeys(databaseUrl, config, async (keys) => [
      await bare(baseUrl),
      await measure({ label: 'GET /v1/credits (x-api-key)', url: `${baseUrl}/v1/credits`, duration, connections, credentials: keys.map((key) => ({ 'x-api-key': key })) }),
    ]),
  mcp: (baseUrl, databaseUrl, config) =>
    withAccessTokens(databaseUrl, config, connections, async (tokens) => [
      await bare(baseUrl),
      await measure({
        label: 'POST /mcp tools/call mcp_whoami (Bearer)',
        url: `${baseUrl}/mcp`,
        duration,
        connections,
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'mcp_whoami', arguments: {} } }),
        credentials: tokens.map((token) => ({ authorization: `Bearer ${token}` })),
      }),
    ]),
};

const name = positionals[0] ?? 'credits';
const scenario = SCENARIOS[name];
if (scenario === undefined) {
  process.stderr.write(`Unknown benchmark "${name}". Available: ${Object.keys(SCENARIOS).join(', ')}\n`);
  process.exit(1);
}

process.stderr.write(`Benchmark "${name}": ${connections} connections, ${duration} s each\n`);
let rows: Measurement[];
if (values.url !== undefined) {
  const config = loadConfig(process.env);
  const database = await resolveDatabase(config);
  try {
    rows = await scenario(values.url.replace(/\/$/, ''), database.url, config);
  } finally {
    await database.stop();
  }
} else {
  process.stderr.write('Starting the stack on free ports (embedded PostgreSQL)…\n');
  const stack = await startTestStack();
  try {
    rows = await scenario(stack.config.openapi.url, stack.databaseUrl, stack.config);
  } finally {
    await stack.close();
  }
}
printTable(rows);
const [ceiling, measured] = rows;
if (ceiling && measured) {
  process.stdout.write(`\n${measured.label} costs ${(ceiling.requestsPerSecond / measured.requestsPerSecond).toFixed(1)}× the bare route (req/s ratio)\n`);
}
