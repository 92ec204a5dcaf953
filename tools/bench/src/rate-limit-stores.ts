// `pnpm bench:stores [--duration 5] [--connections 1,50]`: what a rate-limited request costs with each
// rate-limit store, side by side in one run. Three auth services on one embedded PostgreSQL, one per
// RATE_LIMIT_STORE (memory, redis on a local redis-server, postgres), each driven in turn with the
// /token error path (an empty POST: the limit is counted, then a 400 with no database work), so the
// difference between the rows is the store. The limit is set far above the load: nothing is refused.
// On a shared machine one run of a few seconds is noise: the stores take turns for `--rounds`
// rounds, and each figure is the median of its rounds. A second table times the rate-limit check
// alone, in this process (rate-limit-store-op.ts), where the store's round trip is not drowned by HTTP.
import { defineCommand, readCommandLine, refuse } from '@enginy/config/cli-args';
import type { Env } from '@enginy/config/load';
import type { LaunchedStack } from '@enginy/stack/launch';
import type { StoreOpFigures } from './rate-limit-store-op.ts';

const COMMAND = defineCommand({
  usage: `Usage: pnpm bench:stores [--duration 5] [--warm-up 2] [--connections 1,50] [--rounds 3]

What a rate-limited request costs with each rate-limit store (memory, Redis, PostgreSQL), side by
side: three auth services on one embedded PostgreSQL and a local redis-server (needs redis-server).

  --duration <s>          seconds measured per store, connection count and round (default 5)
  --warm-up <s>           seconds of load before each measurement, not measured (default 2)
  --connections <list>    connection counts, comma-separated (default 1,50)
  --rounds <n>            rounds the stores take turns in; each figure is the median (default 3)
`,
  options: {
    duration: { type: 'string', default: '5' },
    'warm-up': { type: 'string', default: '2' },
    connections: { type: 'string', default: '1,50' },
    rounds: { type: 'string', default: '3' },
  },
});
const { values } = readCommandLine(COMMAND);
const duration = Number(values.duration);
const warmUp = Number(values['warm-up']);
const levels = values.connections.split(',').map(Number);
const rounds = Number(values.rounds);
if (levels.some((c) => !Number.isInteger(c) || c < 1))
  refuse(COMMAND, `--connections must be whole numbers from 1 (got "${values.connections}")`);
if (!(duration > 0)) refuse(COMMAND, `--duration must be a number of seconds above 0 (got "${values.duration}")`);
if (!(warmUp >= 0)) refuse(COMMAND, `--warm-up must be a number of seconds (got "${values['warm-up']}")`);
if (!Number.isInteger(rounds) || rounds < 1)
  refuse(COMMAND, `--rounds must be a whole number from 1 (got "${values.rounds}")`);

// Parsed before the rest is imported, so --help and a bad option answer at once.
const { launchStack } = await import('@enginy/stack/launch');
const { freePort } = await import('@enginy/stack/ports');
const { startProgress } = await import('@enginy/stack/progress');
const { startTestStack } = await import('@enginy/stack/test-stack');
const { startRedisServer } = await import('@enginy/testing/redis-server');
const { default: autocannon } = await import('autocannon');
const { cpuSeconds, processTree } = await import('./proc.ts');
const { measureStoreOps } = await import('./rate-limit-store-op.ts');
const { fixed, printTable } = await import('./table.ts');

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
// "[4/18] round 2/3, redis, 50 conns" on stderr: each store at each connection count in each round, then the check alone per round.
const progress = startProgress(rounds * levels.length * 3 /* stores */ + rounds);
const log = (text: string) => progress.log(text);

const LIMIT = { TOKEN_RATE_LIMIT_PER_MINUTE: '1000000000' };
const treeCpu = (pid: number | undefined) =>
  pid === undefined ? 0 : processTree(pid).reduce((sum, info) => sum + cpuSeconds(info.pid), 0);
// The embedded PostgreSQL runs below this process: its postmaster and every backend.
const postgresCpu = () =>
  processTree(process.pid)
    .filter((info) => info.command.startsWith('postgres'))
    .reduce((sum, info) => sum + cpuSeconds(info.pid), 0);

log('Starting redis-server, an embedded PostgreSQL and three auth services (memory, redis, postgres)…');
const redis = await startRedisServer();
const memoryStack = await startTestStack({ only: ['auth'], env: { ...LIMIT, RATE_LIMIT_STORE: 'memory' } });
const others: LaunchedStack[] = [];
try {
  const launch = async (env: Env) => {
    const stack = await launchStack({
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'test',
        LOG_LEVEL: 'warn',
        OPENAPI_PORT: String(await freePort()),
        AUTH_PORT: String(await freePort()),
        WEB_PORT: String(await freePort()),
        ...LIMIT,
        ...env,
      },
      databaseUrl: memoryStack.databaseUrl,
      mode: 'once',
      quiet: true,
      only: ['auth'],
    });
    others.push(stack);
    return stack;
  };
  const stores = [
    { name: 'memory', stack: memoryStack as LaunchedStack, storeCpu: () => 0 },
    { name: 'redis', stack: await launch({ REDIS_URL: redis.url }), storeCpu: () => treeCpu(redis.pid()) },
    { name: 'postgres', stack: await launch({ RATE_LIMIT_STORE: 'postgres' }), storeCpu: postgresCpu },
  ];
  type Figures = { rate: number; mean: number; p50: number; p99: number; appUs: number; storeUs: number; bad: number };
  const figures = new Map<string, Figures[]>();
  for (let round = 1; round <= rounds; round++) {
    for (const connections of levels) {
      for (const store of stores) {
        const url = `http://127.0.0.1:${store.stack.config.auth.port}/token`;
        const app = store.stack.apps[0];
        const run = (seconds: number) =>
          autocannon({
            url,
            method: 'POST',
            connections,
            duration: seconds,
            body: '',
            headers: { 'content-length': '0' },
          });
        progress.step(
          `round ${round}/${rounds}, ${store.name}, ${connections} conns (warm-up ${warmUp} s, then ${duration} s)`,
        );
        if (warmUp > 0) await run(warmUp);
        const before = { app: treeCpu(app?.child.pid), store: store.storeCpu() };
        const result = await run(duration);
        const total = Math.max(1, result.requests.total);
        const key = `${store.name}|${connections}`;
        figures.set(key, [
          ...(figures.get(key) ?? []),
          {
            rate: result.requests.average,
            mean: result.latency.mean,
            p50: result.latency.p50,
            p99: result.latency.p99,
            appUs: ((treeCpu(app?.child.pid) - before.app) / total) * 1e6,
            storeUs: ((store.storeCpu() - before.store) / total) * 1e6,
            bad: result.errors + result.timeouts + (result.statusCodeStats?.['429']?.count ?? 0),
          },
        ]);
      }
    }
  }
  const ops: StoreOpFigures[] = [];
  for (let round = 1; round <= rounds; round++) {
    progress.step(`round ${round}/${rounds}: the rate-limit check alone, in this process`);
    ops.push(...(await measureStoreOps(memoryStack.databaseUrl, redis.url, { iterations: 5_000, concurrency: 50 })));
  }
  progress.done();
  const rows = levels.flatMap((connections) =>
    stores.map((store) => {
      const runs = figures.get(`${store.name}|${connections}`) ?? [];
      const m = (pick: (f: Figures) => number) => median(runs.map(pick));
      return [
        store.name,
        String(connections),
        fixed(m((f) => f.rate)),
        fixed(
          m((f) => f.mean),
          2,
        ),
        fixed(m((f) => f.p50)),
        fixed(m((f) => f.p99)),
        fixed(m((f) => f.appUs)),
        store.name === 'memory' ? '-' : fixed(m((f) => f.storeUs)),
        String(runs.reduce((sum, f) => sum + f.bad, 0)),
      ];
    }),
  );
  printTable(
    `Rate-limited POST /token (error path) per store: medians of ${rounds} rounds of ${duration} s (CPU: the auth process; the store's own processes)`,
    // autocannon's percentiles are whole milliseconds; the mean is not.
    ['store', 'conns', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'app CPU µs/req', 'store CPU µs/req', 'errors+429'],
    rows,
  );
  printTable(
    `The rate-limit check alone (Fastify inject, in-process): medians of ${rounds} rounds of 5,000 checks`,
    ['store', 'p50 µs (1 in flight)', 'p99 µs (1 in flight)', 'checks/s (50 in flight)'],
    stores.map(({ name }) => {
      const runs = ops.filter((op) => op.store === name);
      const m = (pick: (op: StoreOpFigures) => number) => median(runs.map(pick));
      return [name, fixed(m((op) => op.p50Us)), fixed(m((op) => op.p99Us)), fixed(m((op) => op.concurrentRate))];
    }),
  );
} finally {
  await Promise.all(others.map((stack) => stack.stop()));
  await memoryStack.close();
  await redis.stop();
}
