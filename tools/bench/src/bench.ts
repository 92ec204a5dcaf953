// `pnpm bench credits [--url http://localhost:3001] [--duration 10] [--connections 50]`
// Throughput of GET /v1/credits with API keys, through the whole gate (key lookup, scope check,
// rate limit, database read, serialization). Without --url it starts the real stack on free ports
// (startTestStack); with --url it targets a running stack and issues its keys on that stack's
// database (the dev stack's embedded PostgreSQL, or DATABASE_URL).
import { parseArgs } from 'node:util';
import { loadConfig, type StackConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { issueApiKey, revokeApiKey } from '@enginy/db/queries/api-keys';
import { SEED_IDS } from '@enginy/db/seed';
import { resolveDatabase } from '@enginy/stack/database';
import { startTestStack } from '@enginy/stack/test-stack';
import { measure, type Measurement } from './measure.ts';
import { printTable } from './table.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { url: { type: 'string' }, duration: { type: 'string', default: '10' }, connections: { type: 'string', default: '50' } },
});
const scenario = positionals[0] ?? 'credits';
if (scenario !== 'credits') {
  process.stderr.write(`Unknown benchmark "${scenario}". Available: credits\n`);
  process.exit(1);
}
const duration = Number(values.duration);
const connections = Number(values.connections);

// Each key may call /v1/credits 600 times a minute; enough keys, used in turn (as many clients
// would), keep every request under its key's limit, so the figures are for served requests.
const KEYS = 300;

/** Issues the keys, runs `use` with them, then revokes them: a bench leaves no live keys behind. */
async function withKeys<T>(databaseUrl: string, config: StackConfig, use: (keys: string[]) => Promise<T>): Promise<T> {
  const db = createDb(databaseUrl, { max: 4 });
  const issued: { id: string; key: string }[] = [];
  try {
    for (let i = 0; i < KEYS; i++) issued.push(await issueApiKey(db, config.tokenHashKey, { workspaceId: SEED_IDS.acme, name: `bench-${i}`, scopes: ['WORKSPACE_READ'] }));
    return await use(issued.map(({ key }) => key));
  } finally {
    for (const { id } of issued) await revokeApiKey(db, SEED_IDS.acme, id);
    await db.destroy();
  }
}

async function run(baseUrl: string, keys: string[]): Promise<Measurement[]> {
  const results: Measurement[] = [];
  results.push(await measure({ label: 'GET /healthz (no auth, no DB)', url: `${baseUrl}/healthz`, duration: Math.min(duration, 5), connections }));
  results.push(await measure({ label: 'GET /v1/credits (x-api-key)', url: `${baseUrl}/v1/credits`, duration, connections, keys }));
  return results;
}

process.stderr.write(`Benchmark "${scenario}": ${connections} connections, ${duration} s\n`);
if (values.url !== undefined) {
  const config = loadConfig(process.env);
  const database = await resolveDatabase(config);
  try {
    printTable(await withKeys(database.url, config, (keys) => run(values.url?.replace(/\/$/, '') ?? '', keys)));
  } finally {
    await database.stop();
  }
} else {
  process.stderr.write('Starting the stack on free ports (embedded PostgreSQL)…\n');
  const stack = await startTestStack();
  try {
    printTable(await withKeys(stack.databaseUrl, stack.config, (keys) => run(stack.config.openapi.url, keys)));
  } finally {
    await stack.close();
  }
}
