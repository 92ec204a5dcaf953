import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATABASE_NAME } from '@enginy/config/defaults';
import { startEmbeddedPostgres } from '@enginy/db/embedded';
import { freePort } from '@enginy/stack/ports';
import {
  exited,
  lastLines,
  memoryOf,
  type ProcessMemory,
  spawnGroup,
  stopGroup,
  waitForAll,
  waitForFreePorts,
} from './stack-processes.ts';
import type { StartupRun } from './dev.ts';

export interface ProductionStartup {
  runs: StartupRun[];
  idle: ProcessMemory[];
}

/**
 * docker-compose.yml without Docker: the same commands, environment and order on this machine,
 * with an embedded PostgreSQL standing in for the `postgres` service (started first, not timed, as
 * compose waits for its health check) and the image's build step (`pnpm build:services`) done first. Timed from the `setup` service's start: `pnpm db:seed`
 * (migrate + seed), then `openapi` and `auth` (`pnpm --filter … start`, NODE_ENV=production) until
 * both answer /readyz, then `web` (`vite build`, then `vite preview`) until it serves the page.
 */
export async function measureProductionStartup(): Promise<ProductionStartup> {
  const dir = mkdtempSync(join(tmpdir(), 'enginy-bench-prod-'));
  chmodSync(dir, 0o755);
  const postgres = await startEmbeddedPostgres({
    dataDir: join(dir, 'data'),
    port: await freePort(),
    database: DEFAULT_DATABASE_NAME,
    env: process.env,
  });
  const ports = { OPENAPI_PORT: await freePort(), AUTH_PORT: await freePort(), WEB_PORT: await freePort() };
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    LOG_PRETTY: 'false',
    DATABASE_URL: postgres.url,
    TOKEN_HASH_KEY: randomBytes(24).toString('base64url'),
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
  };
  const children: ChildProcess[] = [];
  const runs: StartupRun[] = [];
  let idle: ProcessMemory[] = [];
  try {
    // The image's build step (Dockerfile: RUN pnpm build:services), before any container starts: not timed.
    const built = spawnGroup('pnpm', ['build:services'], env);
    if ((await exited(built)) !== 0) throw new Error(`pnpm build:services failed:\n${lastLines(built)}`);
    const started = performance.now();
    const setup = spawnGroup('pnpm', ['db:seed'], env);
    if ((await exited(setup)) !== 0) throw new Error(`pnpm db:seed failed:\n${lastLines(setup)}`);
    runs.push({ label: 'production: setup (pnpm db:seed: migrate + seed)', readyMs: performance.now() - started });

    const appsStarted = performance.now();
    const openapi = spawnGroup('pnpm', ['--filter', '@enginy/openapi', 'start'], env);
    const auth = spawnGroup('pnpm', ['--filter', '@enginy/auth', 'start'], env);
    children.push(openapi, auth);
    await waitForAll(
      [`http://localhost:${ports.OPENAPI_PORT}/readyz`, `http://localhost:${ports.AUTH_PORT}/readyz`],
      [openapi, auth],
    );
    runs.push({ label: 'production: openapi + auth start → /readyz', readyMs: performance.now() - appsStarted });

    const webStarted = performance.now();
    const web = spawnGroup('sh', ['-c', 'pnpm --filter @enginy/web build && pnpm --filter @enginy/web start'], env);
    children.push(web);
    await waitForAll([`http://localhost:${ports.WEB_PORT}/`], [web]);
    runs.push({ label: 'production: web (vite build + vite preview) → page', readyMs: performance.now() - webStarted });
    runs.push({ label: 'production: setup → all ready (compose order)', readyMs: performance.now() - started });

    await new Promise((resolve) => setTimeout(resolve, 5_000)); // let start-up garbage settle
    idle = memoryOf([
      { owner: 'openapi (prod)', pid: openapi.pid as number },
      { owner: 'auth (prod)', pid: auth.pid as number },
      { owner: 'web (prod)', pid: web.pid as number },
    ]);
  } finally {
    for (const child of children) await stopGroup(child, 'SIGTERM');
    await waitForFreePorts(Object.values(ports));
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { runs, idle };
}
