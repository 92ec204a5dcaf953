import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_DATABASE_NAME } from '@enginy/config/defaults';
import { type Env, loadConfig } from '@enginy/config/load';
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from '@enginy/db/embedded';
import type { WebServing } from './apps.ts';
import { type AppName, type LaunchedStack, launchStack } from './launch.ts';
import { freePort } from './ports.ts';
import { prepareDatabase } from './prepare.ts';

export type { WebServing };

export interface TestStack extends LaunchedStack {
  databaseUrl: string;
  /**
   * The embedded PostgreSQL this helper started (undefined with `databaseUrl`): stop it and start it
   * again on the same port and data, to see how the apps live through a database outage.
   */
  database?: { stop(): Promise<void>; start(): Promise<void> };
  /** Stops the apps, then the database this helper started (if it started one). */
  close(): Promise<void>;
}

/**
 * The whole stack for an integration test: the three apps as real processes on free ports, on
 * `databaseUrl` or else a new embedded PostgreSQL in a temp dir, migrated and seeded; with
 * `replicas`, the scale topology (N copies of each service behind nginx, see topology.ts). The web app
 * is built and served as docker compose serves it, unless `web` is `dev` (apps.ts).
 */
export async function startTestStack(
  options: { databaseUrl?: string; env?: Env; only?: readonly AppName[]; replicas?: number; web?: WebServing } = {},
): Promise<TestStack> {
  let stopDatabase = async () => {};
  let databaseUrl = options.databaseUrl;
  let database: TestStack['database'];
  if (databaseUrl === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'enginy-stack-pg-'));
    chmodSync(dir, 0o755);
    const pgOptions = {
      dataDir: join(dir, 'data'),
      port: await freePort(),
      database: DEFAULT_DATABASE_NAME,
      env: process.env,
    };
    let server: EmbeddedPostgresHandle | undefined = await startEmbeddedPostgres(pgOptions);
    databaseUrl = server.url;
    database = {
      stop: async () => {
        await server?.stop();
        server = undefined;
      },
      start: async () => {
        server ??= await startEmbeddedPostgres(pgOptions);
      },
    };
    stopDatabase = async () => {
      await server?.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const environment = async (): Promise<Env> => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    OPENAPI_PORT: String(await freePort()),
    AUTH_PORT: String(await freePort()),
    WEB_PORT: String(await freePort()),
    ...options.env,
  });
  const launch = async (env: Env) =>
    await launchStack({
      env,
      databaseUrl,
      mode: 'once',
      quiet: true,
      ...(options.only ? { only: options.only } : {}),
      ...(options.replicas === undefined ? {} : { replicas: options.replicas }),
      ...(options.web === undefined ? {} : { web: options.web }),
    });
  try {
    const env = await environment();
    await prepareDatabase(databaseUrl, loadConfig({ ...env, DATABASE_URL: databaseUrl }));
    // A free port is chosen, released, then bound by the app: another process on the machine may take
    // it in between (CI runs two lanes of stacks and agents). That one failure gets new ports, once.
    const stack = await launch(env).catch(async (error: Error) => {
      if (!error.message.includes('is already in use')) throw error;
      return await launch(await environment());
    });
    return {
      ...stack,
      databaseUrl,
      ...(database ? { database } : {}),
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
