import { DEFAULT_DATABASE_NAME } from '@enginy/config/defaults';
import { redactUrl, type StackConfig } from '@enginy/config/load';
import { startEmbeddedPostgres } from '@enginy/db/embedded';
import pg from 'pg';
import { isPortFree } from './ports.ts';

export interface ResolvedDatabase {
  url: string;
  /** How to describe it to a person (password masked). */
  label: string;
  /** Stops the server if this process started it. */
  stop: () => Promise<void>;
  /** Last resort, synchronous (for an exit handler): fast shutdown of a server this process started. */
  killNow: () => void;
  startedMs: number;
  created: boolean;
}

/**
 * The database the stack uses: DATABASE_URL when set; otherwise the embedded PostgreSQL, reusing
 * one already running on its port (a `pnpm dev` in another terminal) or starting it.
 */
export async function resolveDatabase(config: StackConfig): Promise<ResolvedDatabase> {
  const started = performance.now();
  if (config.databaseUrl !== undefined) {
    await assertReachable(config.databaseUrl, 'DATABASE_URL');
    return {
      url: config.databaseUrl,
      label: redactUrl(config.databaseUrl),
      stop: async () => {},
      killNow: () => {},
      startedMs: 0,
      created: false,
    };
  }
  const { port, dataDir } = config.embeddedPostgres;
  const embeddedUrl = `postgres://enginy:enginy@localhost:${port}/${DEFAULT_DATABASE_NAME}`;
  const label = `${redactUrl(embeddedUrl)} (embedded, data in ${dataDir})`;
  if (!(await isPortFree(port))) {
    await assertReachable(embeddedUrl, 'EMBEDDED_PG_PORT', 'Something else is listening there.');
    return {
      url: embeddedUrl,
      label: `${label}, shared with a running stack`,
      stop: async () => {},
      killNow: () => {},
      startedMs: 0,
      created: false,
    };
  }
  const handle = await startEmbeddedPostgres({ dataDir, port, database: DEFAULT_DATABASE_NAME, env: process.env });
  return {
    url: handle.url,
    label,
    stop: handle.stop,
    killNow: handle.killNow,
    startedMs: performance.now() - started,
    created: handle.created,
  };
}

async function assertReachable(url: string, variable: string, hint = ''): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw new Error(
      `Cannot connect to PostgreSQL at ${redactUrl(url)} (${variable}): ${(error as Error).message}. ${hint}`.trim(),
    );
  } finally {
    await client.end().catch(() => {});
  }
}
