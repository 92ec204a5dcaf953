import { isDatabaseUnavailable } from '@enginy/db/client';
import type { FastifyBaseLogger } from 'fastify';

export interface BatchKind<Batch, Row> {
  /** Named in the log when a write fails. */
  what: string;
  empty(): Batch;
  /** The batch as rows: written together, and one by one when together they fail. */
  rows(batch: Batch): Row[];
  /** Writes the rows in one transaction: all of them or none. */
  write(rows: readonly Row[]): Promise<void>;
  /** Puts a row that could not be written yet back into the newer batch, which wins where both hold a value. */
  keep(row: Row, into: Batch): void;
  /** A dropped row as the log shows it: ids and short names, never a secret. */
  describe(row: Row): Record<string, unknown>;
}

/** Rows carried over to the next flush while the database cannot be reached, at most. */
const MAX_KEPT = 10_000;
/** Dropped rows described in the one log line of a flush (the count is always complete). */
const LOGGED_DROPS = 10;

/**
 * Usage kept in memory and written in one batch every `intervalMs` (and on close): the hot path
 * never waits for a write, readers are at most one interval behind. Flushes run one after another.
 *
 * A batch that fails is not retried as a whole, or one row the database refuses (a NUL in text, an
 * index entry past its size limit, a row whose parent is gone) would fail every later flush too:
 * while the database cannot be reached the rows go back into the next batch (up to `maxKept`);
 * otherwise each row is written on its own, once, and a row that still fails is dropped and logged.
 */
export class BatchedWrites<Batch, Row> {
  private batch: Batch;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly kind: BatchKind<Batch, Row>,
    private readonly log: FastifyBaseLogger,
    private readonly intervalMs = 2_000,
    private readonly maxKept = MAX_KEPT,
  ) {
    this.batch = kind.empty();
  }

  /** The batch being filled: record into it. */
  get current(): Batch {
    return this.batch;
  }

  start(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      const rows = this.kind.rows(this.batch);
      if (rows.length === 0) return;
      this.batch = this.kind.empty();
      try {
        await this.kind.write(rows);
      } catch (error) {
        if (isTransient(error)) this.putBack(rows, error);
        else await this.oneByOne(rows);
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  /** Isolates the rows the database refuses: the others are written, those are dropped. */
  private async oneByOne(rows: readonly Row[]): Promise<void> {
    const dropped: Record<string, unknown>[] = [];
    for (const [index, row] of rows.entries()) {
      try {
        await this.kind.write([row]);
      } catch (error) {
        if (isTransient(error)) {
          this.putBack(rows.slice(index), error);
          break;
        }
        dropped.push({ ...this.kind.describe(row), ...reasonOf(error) });
      }
    }
    if (dropped.length > 0) {
      this.log.warn(
        { dropped: dropped.length, rows: dropped.slice(0, LOGGED_DROPS) },
        `${this.kind.what}: dropped rows the database refuses`,
      );
    }
  }

  /** Rows to try again at the next flush; past `maxKept` carried over, the rest are dropped. */
  private putBack(rows: readonly Row[], error: unknown): void {
    const room = Math.max(0, this.maxKept - this.kind.rows(this.batch).length);
    for (const row of rows.slice(0, room)) this.kind.keep(row, this.batch);
    const dropped = Math.max(0, rows.length - room);
    this.log.warn(
      { err: error, kept: rows.length - dropped, dropped },
      `${this.kind.what} not written yet; will retry`,
    );
  }
}

/**
 * Failures that pass by themselves: the database unreachable, or a transaction it gave up on
 * (SQLSTATE class 40: serialization failure, deadlock; 55P03 lock not available; 57014 statement
 * cancelled). Any other failure of a lone row is that row's, and would repeat on every retry.
 */
function isTransient(error: unknown): boolean {
  if (isDatabaseUnavailable(error)) return true;
  const code = codeOf(error);
  return code !== undefined && (code.startsWith('40') || code === '55P03' || code === '57014');
}

function codeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The SQLSTATE and PostgreSQL's message, cut short (the rows hold ids, tool names and times: no secret to quote). */
function reasonOf(error: unknown): { code?: string; reason: string } {
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  return { ...(code === undefined ? {} : { code }), reason: message.slice(0, 200) };
}
