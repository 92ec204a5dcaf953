import { incrementCounter, purgeEndedCounters } from '@enginy/db/queries/rate-limit-counters';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

describe('rate-limit counters (RATE_LIMIT_STORE=postgres)', () => {
  it('counts hits in a fixed window and reports the time left in it', async () => {
    const first = await incrementCounter(t.db, 'k1', 60_000);
    expect(first.count).toBe(1);
    expect(first.ttlMs).toBeGreaterThan(59_000);
    expect(first.ttlMs).toBeLessThanOrEqual(60_000);
    expect((await incrementCounter(t.db, 'k1', 60_000)).count).toBe(2);
    expect((await incrementCounter(t.db, 'k2', 60_000)).count).toBe(1);
  });

  it('loses no hit when many arrive at once on one key (one atomic upsert)', async () => {
    const hits = await Promise.all(Array.from({ length: 50 }, () => incrementCounter(t.db, 'hot', 60_000)));
    expect(hits.map((hit) => hit.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('starts again at 1 once the window has ended, and the purge deletes ended windows only', async () => {
    await incrementCounter(t.db, 'short', 50);
    await incrementCounter(t.db, 'short', 50);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await purgeEndedCounters(t.db)).toBe(1);
    expect((await incrementCounter(t.db, 'short', 50)).count).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await incrementCounter(t.db, 'short', 60_000)).count).toBe(1);
    expect((await incrementCounter(t.db, 'k1', 60_000)).count).toBe(3);
  });
});
