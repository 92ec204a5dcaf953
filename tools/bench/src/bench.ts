// `pnpm bench [scenario…|all] [--duration 5] [--connections 1,10,50] [--url http://localhost:3001]`
// Every scenario of one run against one stack, each at each connection count, in one table, then
// the goals. Scenarios (default: all):
//   bare      GET /healthz: a bare Fastify JSON route, the machine's ceiling (always measured)
//   mcp       MCP tools/call mcp_whoami with a bearer token (ours)
//   peer      the same call on the MCP SDK's reference stack (Express, mcpAuthRouter,
//             requireBearerAuth, stateless Streamable HTTP, in-memory provider), a separate process
//   replicated  mcp_whoami through nginx to 2 openapi replicas (`pnpm dev --replicas 2`'s shape,
//             a second stack on the same database; needs Debian's nginx and redis-server)
//   read      MCP tools/call get_credits: a read tool, its operation's handler to the database
//   credits   REST GET /v1/credits with API keys
//   refresh   POST /token refresh_token grant, a genuine rotation every request
//   authflow  register → authorize → consent (signed-in user) → token, flows per second
//   verify    the bearer check's token lookup alone, at concurrency 1
//   startup   `pnpm dev` cold and warm, and the docker-compose start order with built apps
// Without --url it starts the real stack on free ports with an embedded PostgreSQL
// (startTestStack) and samples each process's memory; with --url it targets a running stack
// (credentials are issued on that stack's database: the dev stack's embedded one, or DATABASE_URL).
// --cpu-prof <dir> profiles our processes and the peer's under the same load (V8 .cpuprofile files).
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCommandLine, refuse } from '@enginy/config/cli-args';
import type { StackConfig } from '@enginy/config/load';
import type { Progress } from '@enginy/stack/progress';
import type { TestStack } from '@enginy/stack/test-stack';
import { ALL_SCENARIOS, BENCH_COMMAND, SCENARIO_ALIASES } from './bench-args.ts';
import type { MemoryWatch } from './memory.ts';
import type { PeerProcess } from './peer/launch.ts';
import type { Results } from './report.ts';
import type { Fixture } from './scenarios.ts';

const { values, positionals } = readCommandLine(BENCH_COMMAND);
const duration = Number(values.duration);
const warmUp = Number(values['warm-up']);
const levels = values.connections.split(',').map(Number);
const maxConnections = Math.max(...levels);

const asked = (positionals.length === 0 ? ['all'] : positionals).flatMap((name) =>
  name === 'all' ? ALL_SCENARIOS : [SCENARIO_ALIASES[name] ?? name],
);
const unknown = asked.filter((name) => !ALL_SCENARIOS.includes(name));
if (unknown.length > 0) refuse(BENCH_COMMAND, `Unknown scenario ${unknown.join(', ')}`);
if (levels.some((c) => !Number.isInteger(c) || c < 1))
  refuse(BENCH_COMMAND, `--connections must be whole numbers from 1 (got "${values.connections}")`);
if (!(duration > 0)) refuse(BENCH_COMMAND, `--duration must be a number of seconds above 0 (got "${values.duration}")`);
if (!(warmUp >= 0)) refuse(BENCH_COMMAND, `--warm-up must be a number of seconds (got "${values['warm-up']}")`);

// Parsed before the rest is imported, so --help and a bad option answer at once.
const { loadConfig } = await import('@enginy/config/load');
const { resolveDatabase } = await import('@enginy/stack/database');
const { startProgress } = await import('@enginy/stack/progress');
const { startTestStack } = await import('@enginy/stack/test-stack');
const { summarizeProfiles } = await import('./cpu-profile.ts');
const { CREDENTIALS, withAccessTokens, withApiKeys } = await import('./credentials.ts');
const memory = await import('./memory.ts');
const { benchClient } = await import('./oauth-flow.ts');
const { cpuSeconds, processTree } = await import('./proc.ts');
const { startPeer } = await import('./peer/launch.ts');
const { peerAccessTokens } = await import('./peer/tokens.ts');
const { printLoadResults, printStartupAndGoals } = await import('./report.ts');
const { LOAD_SCENARIOS } = await import('./scenarios.ts');
const { measureDevStartup } = await import('./startup/dev.ts');
const { measureProductionStartup } = await import('./startup/production.ts');
const { timeTokenVerification } = await import('./verification.ts');

// The ceiling is measured in every run that loads the stack, so ratios compare like with like.
let load = LOAD_SCENARIOS.filter((s) => s.name === 'bare' || asked.includes(s.name));
const wantsStack = asked.some((name) => name !== 'startup');
// With --url, the stack there must answer before credentials are issued on its database (or an
// embedded one is started for it): one line saying what is wrong, never a driver's stack trace.
if (wantsStack && values.url !== undefined) {
  const problem = await notReady(values.url.replace(/\/$/, ''));
  if (problem !== undefined) {
    process.stderr.write(`pnpm bench: ${problem}\n`);
    process.exit(1);
  }
}
// "[3/12] mcp, 50 conns" on stderr (stdout keeps the tables): planned once the scenarios are final.
let progress: Progress | undefined;
const tracked = () => (progress ??= startProgress(plannedSteps()));
const log = (text: string) => (progress ? progress.log(text) : process.stderr.write(`${text}\n`));
// --cpu-prof <dir>: our two services and the peer write V8 CPU profiles of the loaded phase.
const profileDir = values['cpu-prof'] === undefined ? undefined : resolve(values['cpu-prof']);
if (profileDir) mkdirSync(profileDir, { recursive: true });
const profilerEnv = profileDir
  ? {
      NODE_OPTIONS: `--require ${fileURLToPath(new URL('./cpu-profiler.cjs', import.meta.url))}`,
      BENCH_CPU_PROF_DIR: profileDir,
    }
  : undefined;

const results: Results = { labels: Object.fromEntries(LOAD_SCENARIOS.map((s) => [s.name, s.label])), load: [] };

async function runLoad(
  config: StackConfig,
  databaseUrl: string,
  watch: MemoryWatch | undefined,
  peer: PeerProcess | undefined,
  replicated?: TestStack,
): Promise<void> {
  // Tokens for the replicated stack's own MCP URL (its audience differs from the single stack's).
  const withReplicatedTokens = (use: (tokens: string[]) => Promise<void>) =>
    replicated ? withAccessTokens(databaseUrl, replicated.config, 200, use) : use([]);
  await withApiKeys(databaseUrl, config, (apiKeys) =>
    withAccessTokens(databaseUrl, config, CREDENTIALS, (accessTokens) =>
      withReplicatedTokens(async (replicatedTokens) => {
        const fixture: Fixture = {
          config,
          accessTokens,
          apiKeys,
          session: await benchClient(config).signIn({
            email: 'dev@enginy.local',
            password: process.env.SEED_ADMIN_PASSWORD ?? 'enginy-dev',
          }),
          ...(peer ? { peer: { url: peer.url, tokens: await peerAccessTokens(peer.url, 200) } } : {}),
          ...(replicated ? { replicated: { mcpUrl: replicated.config.openapi.mcpUrl, tokens: replicatedTokens } } : {}),
        };
        for (const scenario of measuredLoad()) {
          log(`  ${scenario.name}: warm-up ${warmUp} s, then ${levels.join('/')} connections × ${duration} s`);
          watch?.loaded(true);
          if (warmUp > 0) {
            tracked().step(`${scenario.name} warm-up, ${maxConnections} conns`);
            await scenario.run(fixture, maxConnections, warmUp);
          }
          const serving = servingProcesses(scenario.name, watch, replicated);
          const profiled = profileDir ? serving : [];
          await toggleProfilers(profiled);
          const cpu = () => serving.reduce((sum, { pid }) => sum + cpuSeconds(pid), 0);
          for (const connections of levels) {
            tracked().step(`${scenario.name}, ${connections} conns`);
            const before = cpu();
            const measured = await scenario.run(fixture, connections, duration);
            if (serving.length > 0 && measured.total > 0) measured.cpuUs = ((cpu() - before) / measured.total) * 1e6;
            results.load.push(measured);
          }
          await toggleProfilers(profiled, scenario.name);
          watch?.loaded(false);
        }
        if (asked.includes('verify')) {
          tracked().step('verify: timing the token lookup');
          results.verification = await timeTokenVerification(databaseUrl, config, accessTokens[0] as string);
        }
      }),
    ),
  );
}

/**
 * The scale topology beside the single stack, on its database (the same seeded data): started only
 * when `replicated` is measured, and left out of the run, saying why, when nginx or redis-server is missing.
 */
async function startReplicated(databaseUrl: string): Promise<TestStack | undefined> {
  log('Starting 2× openapi and 2× auth behind nginx on the same database…');
  try {
    return await startTestStack({
      databaseUrl,
      replicas: 2,
      only: ['openapi', 'auth'],
      env: { TOKEN_RATE_LIMIT_PER_MINUTE: '100000000', ...profilerEnv },
    });
  } catch (error) {
    log(`  replicated: not measured: ${(error as Error).message}`);
    load = load.filter((s) => s.name !== 'replicated');
    return undefined;
  }
}

/** The serving processes a scenario loads (profiled, and their CPU per request counted): the peer's, or our two services. */
function servingProcesses(
  scenario: string,
  watch: MemoryWatch | undefined,
  replicated: TestStack | undefined,
): { pid: number; owner: string }[] {
  // Every process of the replicated stack: the replicas, nginx (its worker is the master's child), the store.
  if (scenario === 'replicated')
    return (replicated?.apps ?? []).flatMap((app) =>
      processTree(app.child.pid as number).map((info) => ({ pid: info.pid, owner: app.name })),
    );
  const owners = scenario === 'peer' ? ['peer'] : ['openapi', 'auth'];
  return (watch?.servers() ?? []).filter((row) => owners.includes(row.owner));
}

const profileLabels = new Map<string, string>();
const profileCounts = new Map<number, number>();

/**
 * SIGUSR2 to each process (see cpu-profiler.cjs): starts its profiler, or, with `scenario`, stops
 * it and waits for the profile it writes.
 */
async function toggleProfilers(processes: { pid: number; owner: string }[], scenario?: string): Promise<void> {
  for (const { pid } of processes) process.kill(pid, 'SIGUSR2');
  if (scenario === undefined || profileDir === undefined) {
    if (processes.length > 0) await new Promise((r) => setTimeout(r, 300)); // let the profilers start
    return;
  }
  const files = processes.map(({ pid, owner }) => {
    const n = (profileCounts.get(pid) ?? 0) + 1;
    profileCounts.set(pid, n);
    const file = `CPU.${pid}.${n}.cpuprofile`;
    profileLabels.set(file, `${owner} during ${scenario}`);
    return join(profileDir, file);
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && !files.every((file) => existsSync(file)))
    await new Promise((r) => setTimeout(r, 200));
}

function wantsLoad(): boolean {
  return load.some((s) => s.name !== 'bare');
}

/** The load scenarios this run measures: the ceiling is left out when nothing else loads the stack. */
function measuredLoad(): typeof load {
  return load.filter((s) => s.name !== 'bare' || asked.includes('bare') || wantsLoad());
}

/** Every step progress counts: a warm-up and each connection count per scenario, verify, startup's two. */
function plannedSteps(): number {
  const loadSteps = wantsStack ? measuredLoad().length * ((warmUp > 0 ? 1 : 0) + levels.length) : 0;
  return loadSteps + (wantsStack && asked.includes('verify') ? 1 : 0) + (asked.includes('startup') ? 2 : 0);
}

if (wantsStack) {
  const peer = asked.includes('peer') ? await startPeer(profilerEnv ? { env: profilerEnv } : {}) : undefined;
  try {
    if (values.url !== undefined) {
      const config = loadConfig({ ...process.env, OPENAPI_URL: values.url.replace(/\/$/, '') });
      const database = await resolveDatabase(config);
      try {
        if (load.some((s) => s.name === 'replicated')) {
          // With --url, point it at `pnpm dev --replicas 2`'s balancer and run `mcp` instead.
          log('  replicated: not measured with --url (run `mcp` against a `pnpm dev --replicas 2` stack instead)');
          load = load.filter((s) => s.name !== 'replicated');
        }
        await runLoad(config, database.url, undefined, peer);
      } finally {
        await database.stop();
      }
    } else {
      log('Starting the stack on free ports (embedded PostgreSQL)…');
      // The refresh benchmark rotates far more than the default per-address /token limit allows.
      const stack = await startTestStack({ env: { TOKEN_RATE_LIMIT_PER_MINUTE: '100000000', ...profilerEnv } });
      try {
        await new Promise((resolve) => setTimeout(resolve, 2_000)); // idle: let start-up garbage settle
        const watch = new memory.MemoryWatch([
          ...stack.apps.map((app) => ({ owner: app.name, pid: app.child.pid as number })),
          ...(peer ? [{ owner: 'peer', pid: peer.pid }] : []),
        ]);
        const replicated = load.some((s) => s.name === 'replicated')
          ? await startReplicated(stack.databaseUrl)
          : undefined;
        try {
          await runLoad(stack.config, stack.databaseUrl, watch, peer, replicated);
        } finally {
          await replicated?.close();
        }
        results.memory = watch.finish();
      } finally {
        await stack.close();
      }
    }
  } finally {
    await peer?.stop();
  }
}

// Each table goes to stdout once the live line above it is cleared.
progress?.done();
printLoadResults(results);
if (asked.includes('startup')) {
  tracked().step(`startup: pnpm dev (cold + ${values['warm-runs']} warm)`);
  results.dev = await measureDevStartup(Number(values['warm-runs']));
  tracked().step('startup: production (compose order, built web app)');
  results.production = await measureProductionStartup();
  progress?.done();
}

printStartupAndGoals(results);
if (profileDir) {
  summarizeProfiles(profileDir, profileLabels);
  process.stdout.write(
    `\nProfiles in ${profileDir}: open them in Chrome DevTools (Performance) or speedscope for flame graphs.\n`,
  );
}

/** Why the stack at `url` cannot be loaded (its /readyz), or undefined when it is ready. */
async function notReady(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(5_000) });
    if (response.ok) return undefined;
    const body = (await response.text()).trim().slice(0, 200);
    return `the stack at ${url} is not ready: /readyz answered ${response.status}${body ? ` ${body}` : ''}`;
  } catch (error) {
    const { cause } = error as { cause?: { code?: string; message?: string } };
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return `nothing answers at ${url} (${reason}): start the stack (npm start), or leave out --url and the bench starts one`;
  }
}
