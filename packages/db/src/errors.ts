// What a failed query means, as types the apps map to their own answers (HTTP status, message).
// Every failure that reaches a query's caller through createDb's pool is one of these or, for a
// failure that is neither the database's absence nor a bad value, the error node-postgres threw.

/** A database failure, keeping node-postgres's message and code (SQLSTATE, or a socket error code). */
export class DatabaseError extends Error {
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.code = codeOf(cause);
  }
}

/**
 * The database cannot be reached right now (down, restarting, or out of connections), rather than
 * a bad query: the same request may succeed later.
 */
export class DatabaseUnavailableError extends DatabaseError {
  override readonly name = 'DatabaseUnavailableError';
}

/**
 * A PostgreSQL data exception (SQLSTATE class 22) that only a bad value can cause, such as a NUL
 * byte in text (22021, 22P05) or a malformed uuid (22P02): the input was wrong, not the server.
 */
export class InvalidValueError extends DatabaseError {
  override readonly name = 'InvalidValueError';

  /** The value was text holding a NUL (\u0000), which PostgreSQL text cannot store. */
  get nulInText(): boolean {
    return this.code === '22021' || this.code === '22P05';
  }
}

/** An integrity constraint the write broke (SQLSTATE class 23). */
export class ConstraintViolationError extends DatabaseError {
  override readonly name = 'ConstraintViolationError';

  /** Which kind: a unique value taken (23505), a referenced row missing (23503), or another. */
  get constraint(): 'unique' | 'foreign_key' | 'other' {
    return this.code === '23505' ? 'unique' : this.code === '23503' ? 'foreign_key' : 'other';
  }
}

// Node socket errors and PostgreSQL SQLSTATEs that mean "the database cannot be reached right now"
// (class 08 connection exception; 57P01–57P03 shutdown or starting up; 53300 too many connections).
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
// What node-postgres throws without a code when a connection dies or cannot be made in time.
const UNREACHABLE_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /not queryable/,
  /^terminating connection/,
];

/**
 * Whether `error` means the database is unreachable (down, restarting, or out of connections),
 * rather than a bad query: the request may succeed later, so it is a 503, not a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || code.startsWith('08'))) return true;
  // An AggregateError (both loopback addresses refused) carries the reasons in `errors`.
  const inner = (error as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0 && inner.every(isDatabaseUnavailable)) return true;
  return typeof message === 'string' && UNREACHABLE_MESSAGES.some((pattern) => pattern.test(message));
}

/** `error` as one of the types above, or unchanged when it is none of them (or already typed). */
export function typedDatabaseError(error: unknown): unknown {
  if (error instanceof DatabaseError) return error;
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError(error);
  const code = codeOf(error);
  if (code !== undefined && /^22[0-9A-Z]{3}$/.test(code)) return new InvalidValueError(error);
  if (code !== undefined && /^23[0-9A-Z]{3}$/.test(code)) return new ConstraintViolationError(error);
  return error;
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}
