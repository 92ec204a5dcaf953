import type { Db } from '@enginy/db/client';
import { touchApiKeys } from '@enginy/db/queries/api-keys';
import type { FastifyBaseLogger } from 'fastify';
import { BatchedWrites } from '../jobs/batched-writes.ts';

/**
 * When each API key was last used, written in one statement every `intervalMs`: a REST call never
 * waits for the write, and the console's "last used" is at most one interval behind.
 */
export class ApiKeyLastUsed extends BatchedWrites<Map<string, Date>, [keyId: string, at: Date]> {
  constructor(db: Db, log: FastifyBaseLogger, intervalMs?: number) {
    super(
      {
        what: 'API key last-used times',
        empty: () => new Map(),
        rows: (batch) => [...batch],
        write: (rows) => touchApiKeys(db, new Map(rows)),
        keep: ([keyId, at], into) => {
          if (!into.has(keyId)) into.set(keyId, at);
        },
        // The key's id, never the key.
        describe: ([keyId]) => ({ keyId }),
      },
      log,
      intervalMs,
    );
  }

  record(keyId: string): void {
    this.current.set(keyId, new Date());
  }
}
