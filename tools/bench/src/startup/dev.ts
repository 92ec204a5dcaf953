import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@enginy/stack/ports';
import {
  memoryOf,
  type ProcessMemory,
  spawnGroup,
  stopGroup,
  waitForAll,
  waitForFreePorts,
} from './stack-processes.ts';

export interface StartupRun {
  label: string;
  readyMs: number;
}

export interface DevStartup {
  runs: StartupRun[];
  /** When `pnpm dev` printed each of its steps, in the last warm run. */
  phases: StartupRun[];
  idle: ProcessMemory[];
}

/**
 * `pnpm dev` to all three apps ready, on free ports and a new data dir: once cold (the embedded
 * PostgreSQL is created), then `warmRuns` times warm. The last warm run's processes are weighed
 * idle, 5 s after ready.
 */
export async function measureDevStartup(warmRuns: number): Promise<DevStartup> {
  const dataRoot = mkdtempSync(join(tmpdir(), 'enginy-bench-dev-'));
  chmodSync(dataRoot, 0o755);
  const ports = {
    OPENAPI_PORT: await freePort(),
    AUTH_PORT: await freePort(),
    WEB_PORT: await freePort(),
    EMBEDDED_PG_PORT: await freePort(),
  };
  const env = {
    ...process.env,
    ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
    EMBEDDED_PG_DATA_DIR: join(dataRoot, 'pg'),
  };
  const readyUrls = [
    `http://localhost:${ports.OPENAPI_PORT}/readyz`,
    `http://localhost:${ports.AUTH_PORT}/readyz`,
    `http://localhost:${ports.WEB_PORT}/`,
  ];
  const runs: StartupRun[] = [];
  let idle: ProcessMemory[] = [];
  let phases: StartupRun[] = [];
  try {
    for (let i = 0; i <= warmRuns; i++) {
      const started = performance.now();
      const steps: StartupRun[] = [];
      // pnpm dev's own progress lines ("✓ PostgreSQL started", "… starting openapi, auth and web").
      const dev = spawnGroup('pnpm', ['dev'], env, (line) => {
        if (/^\s+[✓…]/.test(line)) steps.push({ label: line.trim(), readyMs: performance.now() - started });
      });
      try {
        const answered = await waitForAll(readyUrls, [dev]);
        runs.push({
          label: i === 0 ? 'pnpm dev, cold (new data dir)' : `pnpm dev, warm #${i}`,
          readyMs: performance.now() - started,
        });
        if (i === warmRuns) {
          const apps = ['openapi /readyz', 'auth /readyz', 'web page'].map((label, n) => ({
            label: `${label} answers`,
            readyMs: (answered.get(readyUrls[n] as string) ?? 0) - started,
          }));
          phases = [...steps, ...apps.sort((a, b) => a.readyMs - b.readyMs)];
          await new Promise((resolve) => setTimeout(resolve, 5_000)); // let start-up garbage settle
          idle = memoryOf([{ owner: 'pnpm dev', pid: dev.pid as number }]);
        }
      } finally {
        await stopGroup(dev, 'SIGINT');
        await waitForFreePorts(Object.values(ports));
      }
    }
  } finally {
    rmSync(dataRoot, { recursive: true, force: true });
  }
  return { runs, phases, idle };
}
