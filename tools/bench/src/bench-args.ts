// `pnpm bench`'s command line: its scenarios and options, read before the stack, the load generator
// and the MCP SDK are imported.
import { defineCommand } from '@enginy/config/cli-args';

/** The load scenarios, in the order they run; scenarios.ts says how each loads the stack. */
export const LOAD_SCENARIO_NAMES = [
  'bare',
  'mcp',
  'peer',
  'replicated',
  'read',
  'credits',
  'refresh',
  'authflow',
] as const;
export type LoadScenarioName = (typeof LOAD_SCENARIO_NAMES)[number];

export const ALL_SCENARIOS: readonly string[] = [...LOAD_SCENARIO_NAMES, 'verify', 'startup'];
export const SCENARIO_ALIASES: Record<string, string> = { rest: 'credits', token: 'refresh', whoami: 'mcp' };

export const BENCH_COMMAND = defineCommand({
  usage: `Usage: pnpm bench [scenario…|all] [--duration 5] [--connections 1,10,50] [--url http://localhost:3001]
       pnpm bench:startup   (the same as pnpm bench startup)

One run, one table: each scenario at each connection count (req/s, p50, p99, errors), beside a
bare Fastify route, then memory, start-up and the goals. Without --url it starts the stack on free
ports with an embedded PostgreSQL; with --url it loads a running stack.

Scenarios (default all): ${ALL_SCENARIOS.join(', ')}
  (also ${Object.entries(SCENARIO_ALIASES)
    .map(([alias, name]) => `${alias} = ${name}`)
    .join(', ')})

  --duration <s>          seconds measured per scenario and connection count (default 5)
  --warm-up <s>           seconds of load before each scenario, not measured (default 2)
  --connections <list>    connection counts, comma-separated (default 1,10,50)
  --warm-runs <n>         startup: warm runs of pnpm dev after the cold one (default 2)
  --url <openapi-url>     load this running stack instead of starting one
  --cpu-prof <dir>        write V8 CPU profiles of the loaded processes to <dir>
`,
  positionals: true,
  options: {
    url: { type: 'string' },
    duration: { type: 'string', default: '5' },
    'warm-up': { type: 'string', default: '2' },
    connections: { type: 'string', default: '1,10,50' },
    'warm-runs': { type: 'string', default: '2' },
    'cpu-prof': { type: 'string' },
  },
});
