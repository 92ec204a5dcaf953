import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { typedDatabaseError } from './errors.ts';
import type { Database } from './schema.ts';

export { isDatabaseUnavailable } from './errors.ts';

export type Db = Kysely<Database>;

export interface DbOptions {
  /** Connections in the pool; each app keeps its own. */
  max?: number;
  /** Called for pool-level errors (a dropped idle connection), which must never crash the process. */
  onError?: (error: Error) => void;
}

// int8 (bigint) columns come back as numbers; counts here stay far below 2^53.
pg.types.setTypeParser(20, (value) => Number.parseInt(value, 10));

// SQL texts that run as named prepared statements: parsed and planned once per connection instead of
// on every call. Kept for the few queries on a hot path (registered by their query modules).
const preparedStatements = new Map<string, string>();

/** Runs `sqlText` as the prepared statement `name` on every connection of every pool from now on. */
export function usePreparedStatement(name: string, sqlText: string): void {
  preparedStatements.set(sqlText, name);
}

export function createDb(url: string, options: DbOptions = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  pool.on('error', (error) => options.onError?.(error));
  // The pool listens for errors on idle connections only. A connection that is checked out (inside
  // a transaction, between two statements) and dies with the server (a restart, a failover) emits
  // 'error' on its client with no listener, and an unhandled 'error' event ends the process. With
  // this listener the death surfaces as the failing query instead, and the pool drops the connection.
  pool.on('connect', (client) => client.on('error', (error) => options.onError?.(error)));
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool: typedPool(pool) }) });
}

/**
 * The pool as Kysely sees it: each checked-out client is wrapped (once, so Kysely's per-client
 * bookkeeping holds), so that a registered SQL text runs as its named prepared statement and every
 * failure reaches the caller as a typed error (errors.ts). pg's own objects are left as they are.
 */
function typedPool(pool: pg.Pool): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    connect: async () => {
      const client = await pool.connect().catch((error: unknown) => Promise.reject(typedDatabaseError(error)));
      let typed = wrapped.get(client);
      if (typed === undefined) {
        typed = typedClient(client);
        wrapped.set(client, typed);
      }
      return typed;
    },
    end: () => pool.end(),
  };
}

function typedClient(client: pg.PoolClient): PostgresPoolClient {
  const query = (text: unknown, values?: ReadonlyArray<unknown>) => {
    // A cursor (Kysely's stream()) goes through as it is.
    if (typeof text !== 'string') return client.query(text as pg.Submittable);
    const name = preparedStatements.get(text);
    const config: pg.QueryConfig =
      name === undefined ? { text, values: values as unknown[] } : { name, text, values: values as unknown[] };
    return client.query(config).catch((error: unknown) => Promise.reject(typedDatabaseError(error)));
  };
  return {
    query: query as unknown as PostgresPoolClient['query'],
    release: (destroy?: boolean) => client.release(destroy),
  };
}

/** True when the database answers a trivial query within `timeoutMs`. */
export async function isDatabaseReady(db: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  const probe = db
    .selectNoFrom((eb) => eb.val(1).as('ok'))
    .execute()
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
