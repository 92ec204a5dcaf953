// The failure-lab view on a real PostgreSQL: a switch written by another connection (the CLI, another
// replica) is in force for the very next call; while nothing changes the table is not read at all;
// production holds no switch whatever the table says.
import type {} from '@enginy/db/testing/global-setup';
import { ChangeFeed } from '@enginy/db/change-feed';
import { createDb, type Db } from '@enginy/db/client';
import { FAILURE_LAB_CHANNEL, switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FailureLabView } from '../src/failure-lab-view.ts';

let t: TestDatabase;
/** Another pool: the CLI's writes, not the view's connection. */
let writer: Db;
let feed: ChangeFeed;
beforeAll(async () => {
  t = await createTestDatabase();
  writer = createDb(t.url, { max: 1 });
  feed = new ChangeFeed(t.url, FAILURE_LAB_CHANNEL);
  await feed.start();
});
afterAll(async () => {
  await feed?.close();
  await writer?.destroy();
  await t?.drop();
});
afterEach(() => switchAllLabOff(writer));

const switchOn = (remaining: number | null = null) =>
  switchLabOn(writer, {
    scenario: remaining === null ? 'no-dcr' : 'token-unavailable',
    workspaceId: null,
    options: {},
    remaining,
    by: 'cli:test',
  });
const scenarios = async (view: FailureLabView) => (await view.current()).map((entry) => entry.scenario);

describe('FailureLabView', () => {
  it('a switch committed elsewhere is in force for the very next call, and off for the one after it goes off', async () => {
    const view = new FailureLabView(t.db, feed, false);
    expect(await scenarios(view)).toEqual([]);
    await switchOn();
    expect(await scenarios(view)).toEqual(['no-dcr']);
    await switchAllLabOff(writer);
    expect(await scenarios(view)).toEqual([]);
  });

  it('reads nothing while nothing changes: the table can be gone and the view still answers', async () => {
    const errors: unknown[] = [];
    const view = new FailureLabView(t.db, feed, false, (error) => errors.push(error));
    await switchOn();
    expect(await scenarios(view)).toEqual(['no-dcr']);
    await writer.schema.alterTable('failure_lab_switches').renameTo('failure_lab_switches_away').execute();
    try {
      expect(await scenarios(view)).toEqual(['no-dcr']);
      expect(await scenarios(view)).toEqual(['no-dcr']);
      expect(errors).toEqual([]);
    } finally {
      await writer.schema.alterTable('failure_lab_switches_away').renameTo('failure_lab_switches').execute();
    }
  });

  it('a spent counted scenario is no longer in force', async () => {
    const view = new FailureLabView(t.db, feed, false);
    await switchOn(0);
    expect(await scenarios(view)).toEqual([]);
  });

  it('without a feed it reads the table on each call', async () => {
    const view = new FailureLabView(t.db, undefined, false);
    expect(await scenarios(view)).toEqual([]);
    await switchOn();
    expect(await scenarios(view)).toEqual(['no-dcr']);
  });

  it('in production it holds no switch, whatever the table says', async () => {
    await switchOn();
    const view = new FailureLabView(t.db, feed, true);
    expect(await view.current()).toEqual([]);
  });
});
