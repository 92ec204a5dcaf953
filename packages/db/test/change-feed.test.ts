// Pulls in the testing package's `declare module 'vitest'` (pgServerUrl for inject()) for the type checker.
import type {} from '@enginy/db/testing/global-setup';
import { CHANGE_FEED_APPLICATION_NAME, ChangeFeed, TOKEN_VALIDITY_CHANNEL } from '@enginy/db/change-feed';
import { createDb, type Db } from '@enginy/db/client';
import { FAILURE_LAB_CHANNEL, switchAllLabOff, switchLabOn } from '@enginy/db/queries/failure-lab';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

let t: TestDatabase;
/** Another pool, as another replica's writes arrive: not the connection the feed listens on. */
let writer: Db;
beforeAll(async () => {
  t = await createTestDatabase();
  writer = createDb(t.url, { max: 2 });
});
afterAll(async () => {
  await writer?.destroy();
  await t?.drop();
});

const feeds: ChangeFeed[] = [];
afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.close()));
});

async function listening(options: ConstructorParameters<typeof ChangeFeed>[2] = {}): Promise<ChangeFeed> {
  const feed = new ChangeFeed(t.url, TOKEN_VALIDITY_CHANNEL, { reconnectMs: 50, ...options });
  feeds.push(feed);
  await feed.start();
  expect(feed.ready).toBe(true);
  return feed;
}

/** A grant with one access token, in the seeded Acme workspace. */
async function grantWithToken(): Promise<{ grantId: string; tokenHash: string }> {
  const grant = await writer
    .insertInto('oauth_grants')
    .values({
      workspace_id: SEED_IDS.acme,
      user_id: SEED_IDS.admin,
      client_id: 'feed-test-client',
      redirect_uri: 'http://localhost:3118/callback',
      scopes: ['CONTACTS_READ'],
      resource: 'http://localhost:3001/mcp',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const tokenHash = `feed-test-${crypto.randomUUID()}`;
  await writer
    .insertInto('oauth_tokens')
    .values({ token_hash: tokenHash, kind: 'access', grant_id: grant.id, expires_at: new Date(Date.now() + 3_600_000) })
    .execute();
  return { grantId: grant.id, tokenHash };
}

/** Whether `change`, committed by another connection, has moved the feed's epoch by the next fence. */
async function moves(feed: ChangeFeed, change: () => Promise<unknown>): Promise<boolean> {
  const before = await feed.fence();
  await change();
  return (await feed.fence()) !== before;
}

describe('ChangeFeed on the token-validity channel (migration 0010)', () => {
  it('has heard every change committed before fence() was called by the time it resolves', async () => {
    const feed = await listening();
    const { grantId } = await grantWithToken();
    // Commit, then fence at once, many times over: never a fence that resolves before the notification.
    for (let round = 0; round < 50; round++) {
      const before = feed.epoch;
      await writer
        .updateTable('oauth_grants')
        .set({ scopes: round % 2 === 0 ? ['CONTACTS_READ', 'LISTS_READ'] : ['CONTACTS_READ'] })
        .where('id', '=', grantId)
        .execute();
      expect(await feed.fence()).toBeGreaterThan(before);
    }
  });

  it('moves on every change to what a token check reads', async () => {
    const feed = await listening();
    const acme = () => writer.updateTable('workspace_mcp_settings').where('workspace_id', '=', SEED_IDS.acme);
    const { grantId, tokenHash } = await grantWithToken();
    const settings = await writer
      .selectFrom('workspace_mcp_settings')
      .selectAll()
      .where('workspace_id', '=', SEED_IDS.acme)
      .executeTakeFirstOrThrow();
    const changes: Record<string, () => Promise<unknown>> = {
      'MCP switched off': () => acme().set({ enabled: false }).execute(),
      'MCP switched on': () => acme().set({ enabled: true }).execute(),
      'policy narrowed': () =>
        acme()
          .set({ policy_scopes: ['CONTACTS_READ'] })
          .execute(),
      'policy switched off': () => acme().set({ policy_active: false }).execute(),
      "grant's scopes": () =>
        writer
          .updateTable('oauth_grants')
          .set({ scopes: ['ALL'] })
          .where('id', '=', grantId)
          .execute(),
      'token revoked': () =>
        writer
          .updateTable('oauth_tokens')
          .set({ revoked_at: new Date() })
          .where('token_hash', '=', tokenHash)
          .execute(),
      'grant revoked': () =>
        writer.updateTable('oauth_grants').set({ revoked_at: new Date() }).where('id', '=', grantId).execute(),
      'grant deleted (its tokens cascade)': () => writer.deleteFrom('oauth_grants').where('id', '=', grantId).execute(),
      'settings row deleted': () =>
        writer.deleteFrom('workspace_mcp_settings').where('workspace_id', '=', SEED_IDS.acme).execute(),
      // The check joins the settings row: a workspace without one has MCP off until it gets one.
      'settings row added': () => writer.insertInto('workspace_mcp_settings').values(settings).execute(),
    };
    const heard = [];
    for (const [name, change] of Object.entries(changes)) if (await moves(feed, change)) heard.push(name);
    expect(heard).toEqual(Object.keys(changes));
  });

  it('stays still for writes that cannot change what a token stands for', async () => {
    const feed = await listening();
    const { grantId, tokenHash } = await grantWithToken();
    const quiet: Record<string, () => Promise<unknown>> = {
      'a token issued': () => grantWithToken(),
      "a grant's last use (the usage flush)": () =>
        writer.updateTable('oauth_grants').set({ last_used_at: new Date() }).where('id', '=', grantId).execute(),
      'a refresh token spent (rotation)': () =>
        writer.updateTable('oauth_tokens').set({ spent_at: new Date() }).where('token_hash', '=', tokenHash).execute(),
      'an allowlist saved': () =>
        writer
          .updateTable('workspace_mcp_settings')
          .set({ allowed_client_ids: ['feed-test-client'] })
          .where('workspace_id', '=', SEED_IDS.acme)
          .execute(),
      'a revoke rolled back': () =>
        writer
          .transaction()
          .execute(async (trx) => {
            await trx.updateTable('oauth_grants').set({ revoked_at: new Date() }).where('id', '=', grantId).execute();
            throw new Error('rolled back');
          })
          .catch(() => {}),
    };
    const heard = [];
    for (const [name, change] of Object.entries(quiet)) if (await moves(feed, change)) heard.push(name);
    expect(heard).toEqual([]);
  });

  it('is not ready while its connection is gone, and starts a new epoch once it is back', async () => {
    const errors: Error[] = [];
    let recovered = 0;
    const feed = await listening({ onError: (error) => errors.push(error), onRecovered: () => recovered++ });
    const epoch = await feed.fence();
    // The server ends the listening session, as a restart or a failover does.
    const { rows } = await sql<{ ended: boolean }>`select pg_terminate_backend(pid) as ended from pg_stat_activity
      where application_name = ${CHANGE_FEED_APPLICATION_NAME} and datname = current_database()`.execute(writer);
    expect(rows).toEqual([{ ended: true }]);
    await expect.poll(() => feed.ready).toBe(false);
    await expect(feed.fence()).rejects.toThrow(/not listening/);
    // Back within the reconnect delay, in an epoch no earlier read can claim.
    await expect.poll(() => feed.ready, { timeout: 5_000 }).toBe(true);
    expect(await feed.fence()).toBeGreaterThan(epoch);
    // The outage and its end, each reported once.
    expect(errors).toHaveLength(1);
    expect(recovered).toBe(1);
  });

  it('reports an outage once, however many reconnections fail, and keeps trying', async () => {
    const errors: Error[] = [];
    let recovered = 0;
    // Nothing listens on port 1: every attempt is refused at once.
    const feed = new ChangeFeed('postgres://enginy@127.0.0.1:1/none', TOKEN_VALIDITY_CHANNEL, {
      reconnectMs: 20,
      onError: (error) => errors.push(error),
      onRecovered: () => recovered++,
    });
    feeds.push(feed);
    await feed.start();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(feed.ready).toBe(false);
    await expect(feed.fence()).rejects.toThrow(/not listening/);
    expect(errors.map((error) => (error as { code?: string }).code)).toEqual(['ECONNREFUSED']);
    expect(recovered).toBe(0);
  });

  it('shares one round trip among the calls made while another is in flight', async () => {
    const feed = await listening();
    const first = feed.fence();
    // The query in flight may have left before these calls: they all wait for the one after it.
    const burst = Array.from({ length: 20 }, () => feed.fence());
    expect(new Set(burst).size).toBe(1);
    expect(burst[0]).not.toBe(first);
    const [epoch, ...rest] = await Promise.all([first, ...burst]);
    expect(rest.every((each) => each === epoch)).toBe(true);
  });
});

describe('ChangeFeed on several channels (one connection per process)', () => {
  /** The lab's channel (migration 0012) beside the token-validity one, as each service listens. */
  async function both(): Promise<ChangeFeed> {
    const feed = new ChangeFeed(t.url, [], { reconnectMs: 50 });
    feeds.push(feed);
    feed.listen(TOKEN_VALIDITY_CHANNEL);
    feed.listen(FAILURE_LAB_CHANNEL);
    await feed.start();
    expect(feed.ready).toBe(true);
    return feed;
  }
  const labSwitch = () =>
    switchLabOn(writer, { scenario: 'no-dcr', workspaceId: null, options: {}, remaining: null, by: 'cli:test' });

  it('moves each channel by its own notifications only, on one connection', async () => {
    const feed = await both();
    const tokens = feed.channel(TOKEN_VALIDITY_CHANNEL);
    const lab = feed.channel(FAILURE_LAB_CHANNEL);
    const { grantId } = await grantWithToken();
    const [tokenBefore, labBefore] = [await tokens.fence(), await lab.fence()];
    await labSwitch();
    // A lab switch does not forget the remembered tokens, and the fence hears it on the lab's channel.
    expect([await tokens.fence(), await lab.fence()]).toEqual([tokenBefore, labBefore + 1]);
    await writer.updateTable('oauth_grants').set({ revoked_at: new Date() }).where('id', '=', grantId).execute();
    expect([await tokens.fence(), await lab.fence()]).toEqual([tokenBefore + 1, labBefore + 1]);
    await switchAllLabOff(writer);
    const { rows } = await sql<{ listeners: string }>`select count(*) as listeners from pg_stat_activity
      where application_name = ${CHANGE_FEED_APPLICATION_NAME} and datname = current_database()`.execute(writer);
    expect(rows.map((row) => Number(row.listeners))).toEqual([1]);
  });

  it('a fence sent after a mark answers every later fence(mark) without another round trip', async () => {
    const feed = await both();
    const sent = () => feed.mark();
    const mark = feed.mark();
    // The request's first reader (the token check) pays the round trip...
    await feed.channel(TOKEN_VALIDITY_CHANNEL).fence();
    expect(sent()).toBe(mark + 1);
    // ...and the next (the lab) is answered by it, for its own channel.
    const labEpoch = feed.channel(FAILURE_LAB_CHANNEL).epoch;
    expect(await feed.channel(FAILURE_LAB_CHANNEL).fence(mark)).toBe(labEpoch);
    expect(sent()).toBe(mark + 1);
    // A request that arrives after that fence was sent is not: it sends its own.
    await feed.channel(FAILURE_LAB_CHANNEL).fence(feed.mark());
    expect(sent()).toBe(mark + 2);
  });

  it('fence(mark) still hears every change committed before the mark, every time', async () => {
    const feed = await both();
    const lab = feed.channel(FAILURE_LAB_CHANNEL);
    for (let round = 0; round < 20; round++) {
      const before = lab.epoch;
      await (round % 2 === 0 ? labSwitch() : switchAllLabOff(writer));
      // The request arrives after the commit; a fence from before its arrival must not answer it.
      const mark = feed.mark();
      expect(await lab.fence(mark)).toBeGreaterThan(before);
    }
  });

  it('waits for the fence in flight when it was sent after the mark, instead of sending another', async () => {
    const feed = await both();
    const mark = feed.mark();
    const first = feed.fence();
    const reused = feed.fence(mark);
    expect(reused).toBe(first);
    await Promise.all([first, reused]);
    expect(feed.mark()).toBe(mark + 1);
  });

  it('refuses a channel once started: its epoch would have missed notifications', async () => {
    const feed = await both();
    expect(() => feed.listen('enginy_other')).toThrow(/too late/);
    expect(() => feed.channel('enginy_other')).toThrow(/does not listen/);
  });
});
