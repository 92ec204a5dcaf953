import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATABASE_NAME } from '@enginy/config/defaults';
import { type Env, loadConfig } from '@enginy/config/load';
import { startEmbeddedPostgres } from '@enginy/db/embedded';
import { type LaunchedStack, launchStack } from './launch.ts';
import { freePort } from './ports.ts';
import { prepareDatabase } from './prepare.ts';

export interface TestStack extends LaunchedStack {
  databaseUrl: string;
  /** Stops the apps, then the database this helper started (if it started one). */
  close(): Promise<void>;
}

/**
 * The whole stack for an integration test: the three apps as real processes on free ports, on
 * `databaseUrl` or else a new embedded PostgreSQL in a temp dir, migrated and seeded.
 */
export async function startTestStack(options: { databaseUrl?: string; env?: Env } = {}): Promise<TestStack> {
  let stopDatabase = async () => {};
  let databaseUrl = options.databaseUrl;
  if (databaseUrl === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'enginy-stack-pg-'));
    chmodSync(dir, 0o755);
    const server = await startEmbeddedPostgres({ dataDir: join(dir, 'data'), port: await freePort(), database: DEFAULT_DATABASE_NAME });
    databaseUrl = server.url;
    stopDatabase = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const env: Env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    OPENAPI_PORT: String(await freePort()),
    AUTH_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    ...options.env,
  };
  try {
    await prepareDatabase(databaseUrl, loadConfig({ ...env, DATABASE_URL: databaseUrl }));
    const stack = await launchStack({ env, databaseUrl, mode: 'once', quiet: true });
    return {
      ...stack,
      databaseUrl,
      close: async () => {
        await stack.stop();
        await stopDatabase();
      },
    };
  } catch (error) {
    await stopDatabase();
    throw error;
  }
}
