import { randomUUID } from 'node:crypto';
import { BatchedReads } from '@enginy/db/batched-reads';
import { getCreditsOf } from '@enginy/db/queries/domain/workspace-resources';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

/** The credits reader, with the keys of each query it sent. */
function creditReads() {
  const queries: string[][] = [];
  const reads = new BatchedReads((workspaceIds: string[]) => {
    queries.push(workspaceIds);
    return getCreditsOf(t.db, workspaceIds);
  });
  return { reads, queries };
}

describe('BatchedReads (the credits read of every credits call)', () => {
  it('sends a lone read at once, and answers nothing for a workspace without credits', async () => {
    const { reads, queries } = creditReads();
    const acme = await reads.read(SEED_IDS.acme);
    expect(acme).toMatchObject({
      balance: expect.any(Number),
      nextRenewalDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
    });
    expect(await reads.read(randomUUID())).toBeUndefined();
    expect(queries.map((keys) => keys.length)).toEqual([1, 1]);
  });

  it('lets the reads that arrive while one is in flight share one query, each getting its own answer', async () => {
    const { reads, queries } = creditReads();
    const absent = randomUUID();
    const keys = Array.from({ length: 30 }, (_, i) => [SEED_IDS.acme, SEED_IDS.globex, absent][i % 3] as string);
    const answers = await Promise.all(keys.map((key) => reads.read(key)));
    const alone = await getCreditsOf(t.db, [SEED_IDS.acme, SEED_IDS.globex]);
    expect(answers).toEqual(keys.map((key) => alone.get(key)));
    expect(answers[0]).not.toEqual(answers[1]);
    // The first went out alone; the other 29 joined one query, each workspace once.
    expect(queries).toEqual([[SEED_IDS.acme], [SEED_IDS.globex, absent, SEED_IDS.acme]]);
  });

  it('never joins a query already sent: a read after a write sees it', async () => {
    const { reads } = creditReads();
    const before = await reads.read(SEED_IDS.globex);
    const inFlight = reads.read(SEED_IDS.globex);
    await t.db
      .updateTable('workspace_credits')
      .set({ balance: 7 })
      .where('workspace_id', '=', SEED_IDS.globex)
      .execute();
    const after = reads.read(SEED_IDS.globex);
    expect((await inFlight)?.balance).toBe(before?.balance);
    expect((await after)?.balance).toBe(7);
  });

  it('splits a burst over queries of at most 128 keys', async () => {
    const { reads, queries } = creditReads();
    await Promise.all(Array.from({ length: 300 }, () => reads.read(randomUUID())));
    expect(queries.map((keys) => keys.length)).toEqual([1, 128, 128, 43]);
  });

  it('fails every read of a failed query, and the next read works', async () => {
    const { reads } = creditReads();
    const failed = await Promise.allSettled([
      reads.read(SEED_IDS.acme),
      reads.read('not-a-uuid'),
      reads.read(SEED_IDS.acme),
    ]);
    expect(failed.map((answer) => answer.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await reads.read(SEED_IDS.acme)).toBeDefined();
  });
});
