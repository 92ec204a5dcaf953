import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';

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
  pool.on('connect', (client) => {
    client.on('error', (error) => options.onError?.(error));
    // Kysely calls query(text, values); a registered text goes as a named statement instead.
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    Object.assign(client, {
      query: (text: unknown, ...rest: unknown[]) => {
        const name = typeof text === 'string' ? preparedStatements.get(text) : undefined;
        return name === undefined ? query(text, ...rest) : query({ name, text, values: rest[0] }, ...rest.slice(1));
      },
    });
  });
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
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

// Node socket errors and PostgreSQL SQLSTATEs that mean "the database cannot be reached right now"
// (class 08 connection exception; 57P01–57P03 shutdown or starting up; 53300 too many connections).
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', '57P01', '57P02', '57P03', '53300']);
// What node-postgres throws without a code when a connection dies or cannot be made in time.
const UNREACHABLE_MESSAGES = [/^Connection terminated/, /^timeout exceeded when trying to connect/, /not queryable/, /^terminating connection/];

/**
 * Whether `error` means the database is unreachable (down, restarting, or out of connections),
 * rather than a bad query: the request may succeed later, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // An AggregateError (both loopback addresses refused) carries the reasons in `errors`.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0 && inner.every(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/**
 * What was wrong with the input, when `error` is a PostgreSQL data exception (SQLSTATE class 22)
 * that only a bad value can cause, such as a NUL byte in text (22021) or a malformed uuid (22P02):
 * the request was wrong, not the server, so it is a 400, not a 500.
 */
export function invalidInputProblem(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code !== 'string' || !/^22[0-9A-Z]{3}$/.test(code)) return undefined;
  if (code === '22021' || code === '22P05') return 'Text may not contain NUL (\\u0000) characters';
  return 'A value in the request cannot be stored (invalid characters or out of range)';
}
