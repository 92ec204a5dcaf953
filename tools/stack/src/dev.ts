// `pnpm dev`: a real PostgreSQL (embedded unless DATABASE_URL is set), migrations, the demo seed,
// the three apps in watch mode, a readiness wait, one banner; Ctrl-C stops all of it.
import { banner } from './banner.ts';
import { stackApps } from './apps.ts';
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { busyPortMessages } from './ports.ts';
import { prepareDatabase } from './prepare.ts';
import { type AppProcess, startApp, stopApp, waitUntilReady } from './processes.ts';

const t0 = performance.now();
const config = readConfigOrExit();
const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
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

let database: Awaited<ReturnType<typeof resolveDatabase>>;
try {
  database = await resolveDatabase(config);
} catch (error) {
  fail((error as Error).message);
  process.exit(1);
}
step(database.startedMs > 0 ? `PostgreSQL ${database.created ? 'created and ' : ''}started (${(database.startedMs / 1000).toFixed(1)} s)` : 'PostgreSQL reachable');

const apps: AppProcess[] = [];
let stopping = false;
async function stopAll(code: number): Promise<never> {
  if (stopping) process.exit(code);
  stopping = true;
  process.stdout.write('\nStopping the stack…\n');
  await Promise.all(apps.map((app) => stopApp(app)));
  await database.stop();
  process.stdout.write('Stopped.\n');
  process.exit(code);
}
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  const { applied } = await prepareDatabase(database.url, config);
  step(applied.length > 0 ? `migrations applied: ${applied.join(', ')}` : 'migrations up to date');
  step('demo workspaces seeded');
} catch (error) {
  fail(`Preparing the database failed: ${(error as Error).message}`);
  await stopAll(1);
}

const childEnv = { ...process.env, DATABASE_URL: database.url, NODE_ENV: process.env.NODE_ENV ?? 'development', FORCE_COLOR: '1' };
const specs = stackApps(config, 'dev');
for (const spec of specs) apps.push(startApp(spec.name, spec.cwd, spec.command, spec.args, childEnv));

const results = await Promise.allSettled(specs.map((spec, index) => waitUntilReady(spec.readyUrl, 90_000, (apps[index] as AppProcess).exited)));
const failed = results.flatMap((result, index) => (result.status === 'rejected' ? [{ app: apps[index] as AppProcess, reason: result.reason as Error }] : []));
if (failed.length > 0) {
  for (const { app, reason } of failed) fail(`${app.name} ${reason.message}`);
  await stopAll(1);
}

process.stdout.write(banner(config, database.label, performance.now() - t0));
process.stdout.write(`  (all ready after ${elapsed()})\n`);
for (const app of apps) {
  void app.exited.then((code) => {
    if (!stopping) fail(`${app.name} exited (code ${code}); the rest of the stack is still running. Ctrl-C to stop.`);
  });
}
