// The failure lab's table (migration 0012) and queries, on a real PostgreSQL: each change of a switch
// notifies its channel from the writer's transaction, and a counted scenario is shared by every caller.
import type {} from '@enginy/db/testing/global-setup';
import { ChangeFeed } from '@enginy/db/change-feed';
import {
  FAILURE_LAB_CHANNEL,
  listLabSwitches,
  switchAllLabOff,
  switchLabOff,
  switchLabOn,
  takeLabCount,
} from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
let feed: ChangeFeed;
beforeAll(async () => {
  t = await createTestDatabase();
  feed = new ChangeFeed(t.url, FAILURE_LAB_CHANNEL);
  await feed.start();
});
afterAll(async () => {
  await feed?.close();
  await t?.drop();
});
afterEach(() => switchAllLabOff(t.db));

const on = (
  scenario: 'expire-access' | 'token-unavailable',
  workspaceId: string | null,
  remaining: number | null = null,
) => switchLabOn(t.db, { scenario, workspaceId, options: { seconds: 7 }, remaining, by: 'cli:test' });

async function moves(change: () => Promise<unknown>): Promise<boolean> {
  const before = await feed.fence();
  await change();
  return (await feed.fence()) !== before;
}

describe('failure_lab_switches (migration 0012)', () => {
  it('notifies its channel when a switch goes on, changes and goes off', async () => {
    expect(await moves(() => on('expire-access', null))).toBe(true);
    expect(await moves(() => on('expire-access', null))).toBe(true);
    expect(await moves(() => switchLabOff(t.db, 'expire-access'))).toBe(true);
    expect(await moves(async () => {})).toBe(false);
  });

  it('keeps one switch per scenario and scope: on again replaces the options', async () => {
    await on('expire-access', null);
    await on('expire-access', SEED_IDS.acme);
    await switchLabOn(t.db, {
      scenario: 'expire-access',
      workspaceId: null,
      options: { seconds: 9 },
      remaining: null,
      by: 'cli:test',
    });
    const rows = await listLabSwitches(t.db);
    expect(rows.map((row) => [row.workspaceSlug, row.options.seconds, row.switchedOnBy])).toEqual([
      ['acme', 7, 'cli:test'],
      [null, 9, 'cli:test'],
    ]);
  });

  it('off for one workspace leaves the global switch; off without a workspace ends both', async () => {
    await on('expire-access', null);
    await on('expire-access', SEED_IDS.acme);
    expect(await switchLabOff(t.db, 'expire-access', SEED_IDS.acme)).toBe(1);
    expect((await listLabSwitches(t.db)).map((row) => row.workspaceId)).toEqual([null]);
    await on('expire-access', SEED_IDS.acme);
    expect(await switchLabOff(t.db, 'expire-access')).toBe(2);
  });

  it('a count of 3 is taken 3 times in all by 10 concurrent callers, then it is spent', async () => {
    await on('token-unavailable', null, 3);
    const taken = await Promise.all(Array.from({ length: 10 }, () => takeLabCount(t.db, 'token-unavailable')));
    expect(taken.filter(Boolean)).toHaveLength(3);
    expect((await listLabSwitches(t.db))[0]?.remaining).toBe(0);
  });

  it('a workspace that is deleted takes its switches with it', async () => {
    const workspace = await t.db
      .insertInto('workspaces')
      .values({ slug: 'lab-gone', name: 'Gone' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await on('expire-access', workspace.id);
    await t.db.deleteFrom('workspaces').where('id', '=', workspace.id).execute();
    expect(await listLabSwitches(t.db)).toEqual([]);
  });
});
