import { ConfigError } from '@enginy/config/errors';
import type { StackConfig } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
import { migrateToLatest } from '@enginy/db/migrate';
import type { FastifyInstance } from 'fastify';
import { onShutdownSignal } from './signals.ts';

export interface ServiceSpec {
  name: string;
  /** Reads the environment (the app's env.ts); a ConfigError becomes one clear line. */
  readConfig: () => StackConfig;
  port: (config: StackConfig) => number;
  /** The variable that sets the port, named when the port is taken. */
  portVariable: string;
  build: (config: StackConfig, db: Db) => Promise<FastifyInstance>;
}

/** A failure a person can act on: printed as one line, without a stack trace. */
export class StartupError extends Error {}

/**
 * The one place a service touches the process: connect, migrate, listen, and close everything
 * on SIGINT/SIGTERM. Start-up failures print one clear line and exit 1.
 */
export async function runService(spec: ServiceSpec): Promise<void> {
  try {
    await start(spec);
  } catch (error) {
    const message =
      error instanceof StartupError || error instanceof ConfigError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`[${spec.name}] ${message}\n`);
    process.exit(1);
  }
}

async function start({ name, readConfig, port: portOf, portVariable, build }: ServiceSpec): Promise<void> {
  const config = readConfig();
  const port = portOf(config);
  if (config.databaseUrl === undefined) {
    throw new StartupError(
      'DATABASE_URL is not set. Start the whole stack with `pnpm dev` (it runs an embedded PostgreSQL), or set DATABASE_URL.',
    );
  }
  const db = createDb(config.databaseUrl, {
    onError: (error) => process.stderr.write(`[${name}] database connection error: ${error.message}\n`),
  });
  await migrateWhenReachable(db);
  const app = await build(config, db);

  onShutdownSignal(async (signal) => {
    app.log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await db.destroy();
    clearTimeout(timer);
    process.exit(0);
  });

  try {
    await app.listen({ port, host: config.bindHost });
  } catch (error) {
    await app.close();
    await db.destroy();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new StartupError(
        `Port ${port} (${portVariable}) is already in use. Stop what is listening there or set ${portVariable} to a free port.`,
      );
    }
    throw error;
  }
}

/** Migrates, waiting up to ~30 s for a database that is still starting (as in docker compose). */
async function migrateWhenReachable(db: Db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const retryable = code === 'ECONNREFUSED' || code === '57P03' || code === 'ENOTFOUND';
      if (!retryable || attempt >= 30) {
        await db.destroy();
        throw new StartupError(`Cannot prepare the database (DATABASE_URL): ${(error as Error).message}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
