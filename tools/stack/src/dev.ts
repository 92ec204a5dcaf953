// `pnpm dev`: a real PostgreSQL (embedded unless DATABASE_URL is set), migrations, the demo seed,
// the three apps in watch mode, a readiness wait, one banner; Ctrl-C stops all of it.
// `pnpm dev --replicas N`: the same, with N copies of each service behind nginx (topology.ts).
import { readCommandLine } from '@enginy/config/cli-args';
import type { ResolvedDatabase } from './database.ts';
import { DEV_COMMAND, replicasOrRefuse } from './dev-args.ts';
import type { LaunchedStack } from './launch.ts';

// Parsed before the rest is imported and the environment read, so --help and a bad argument answer at once.
const replicas = replicasOrRefuse(readCommandLine(DEV_COMMAND).values.replicas);
const { banner } = await import('./banner.ts');
const { resolveDatabase } = await import('./database.ts');
const { readConfigOrExit } = await import('./env.ts');
const { launchStack } = await import('./launch.ts');
const { onShutdownSignal } = await import('@enginy/service/signals');
const { busyPortMessages } = await import('./ports.ts');
const { prepareDatabase } = await import('./prepare.ts');

const t0 = performance.now();
const config = readConfigOrExit();
const step = (text: string) => process.stdout.write(`  ✓ ${text}\n`);
const fail = (text: string) => process.stderr.write(`  ✗ ${text}\n`);

process.stdout.write('Enginy Local: starting the stack\n');
const busy = await busyPortMessages([
  { port: config.openapi.port, variable: 'OPENAPI_PORT' },
  { port: config.auth.port, variable: 'AUTH_PORT' },
  { port: config.web.port, variable: 'WEB_PORT' },
]);
if (busy.length > 0) {
  for (const message of busy) fail(message);
  process.exit(1);
}

let database: ResolvedDatabase | undefined;
let stack: LaunchedStack | undefined;
let stopping = false;
async function stopAll(code: number): Promise<never> {
  stopping = true;
  process.stdout.write('\nStopping the stack…\n');
  await stack?.stop();
  await database?.stop();
  process.stdout.write('Stopped.\n');
  process.exit(code);
}
onShutdownSignal(() => stopAll(0));
// However this process ends, nothing it started may stay behind listening.
process.on('exit', () => {
  stack?.killNow();
  database?.killNow();
});

try {
  database = await resolveDatabase(config);
  step(
    database.startedMs > 0
      ? `PostgreSQL ${database.created ? 'created and ' : ''}started (${(database.startedMs / 1000).toFixed(1)} s)`
      : 'PostgreSQL reachable',
  );
  const { applied } = await prepareDatabase(database.url, config);
  step(applied.length > 0 ? `migrations applied: ${applied.join(', ')}` : 'migrations up to date');
  step('demo workspaces seeded');
  process.stdout.write(
    replicas === undefined
      ? '  … starting openapi, auth and web\n'
      : `  … starting ${replicas}× openapi, ${replicas}× auth${replicas > 1 ? ', Redis' : ''}, nginx and web\n`,
  );
  stack = await launchStack({
    env: { NODE_ENV: 'development', FORCE_COLOR: '1', ...process.env },
    databaseUrl: database.url,
    mode: 'watch',
    ...(replicas === undefined ? {} : { replicas }),
  });
} catch (error) {
  fail((error as Error).message);
  await stopAll(1);
}

process.stdout.write(banner(config, database?.label ?? '', performance.now() - t0, stack?.topology));
for (const app of stack?.apps ?? []) {
  void app.exited.then((code) => {
    if (!stopping) fail(`${app.name} exited (code ${code}); the rest of the stack is still running. Ctrl-C to stop.`);
  });
}
