// Pulls in the testing package's `declare module 'vitest'` (pgServerUrl for inject()) for the type checker.
import type {} from '@enginy/db/testing/global-setup';
import { createDb, isDatabaseUnavailable } from '@enginy/db/client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('a connection that dies while checked out', () => {
  it('fails the transaction using it, reports the error, and leaves the process and the pool working', async () => {
    const errors: Error[] = [];
    const db = createDb(t.url, { max: 2, onError: (error) => errors.push(error) });
    try {
      const transaction = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // The server ends this connection between two statements of the transaction, as a restart does.
        await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(t.db);
        await new Promise((resolve) => setTimeout(resolve, 200));
        await sql`select 1`.execute(trx);
      });
      const failure = await transaction.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeDefined();
      expect(isDatabaseUnavailable(failure)).toBe(true);
      // Without a listener on the checked-out client, this error is an unhandled 'error' event (a crash).
      expect(errors.map((error) => (error as { code?: string }).code)).toContain('57P01');
      const { rows } = await sql<{ ok: number }>`select 1 as ok`.execute(db);
      expect(rows).toEqual([{ ok: 1 }]);
    } finally {
      await db.destroy();
    }
  });
});

describe('isDatabaseUnavailable', () => {
  it.each([
    [{ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '57P03', message: 'the database system is starting up' }, true],
    [{ code: '08006', message: 'connection failure' }, true],
    [{ code: '53300', message: 'too many connections' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [new Error('timeout exceeded when trying to connect'), true],
    [new Error('Client has encountered a connection error and is not queryable'), true],
    [Object.assign(new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]), {}), true],
    [{ code: '22P02', message: 'invalid input syntax for type uuid' }, false],
    [{ code: '23505', message: 'duplicate key value' }, false],
    [new Error('something else'), false],
    [undefined, false],
  ])('%o → %s', (error, expected) => {
    expect(isDatabaseUnavailable(error)).toBe(expected);
  });
});
