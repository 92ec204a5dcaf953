// Pulls in the testing package's `declare module 'vitest'` (pgServerUrl for inject()) for the type checker.
import type {} from '@enginy/db/testing/global-setup';
import { ChangeFeed, TOKEN_VALIDITY_CHANNEL } from '@enginy/db/change-feed';
import { createDb, type Db } from '@enginy/db/client';
import { findActiveAccessToken } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

// Issue 22 (M1): a grant is alive only while its user is a member of its workspace, whoever ends
// the membership (the console, plain SQL, a cascade) — migration 0011-membership-ends-access.

let t: TestDatabase;
/** Another pool: the console, a CLI or psql writing, not the connection that reads. */
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

/** A fresh user, a member of each workspace given (with that role). */
async function person(memberOf: { workspaceId: string; role: 'admin' | 'member' }[]): Promise<string> {
  const user = await writer
    .insertInto('users')
    .values({ email: `m-${crypto.randomUUID()}@enginy.local`, name: 'Removed Member', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (memberOf.length > 0)
    await writer
      .insertInto('memberships')
      .values(memberOf.map((m) => ({ workspace_id: m.workspaceId, user_id: user.id, role: m.role })))
      .execute();
  return user.id;
}

/** A grant of `userId` in `workspaceId`, with a live access token and a live refresh token. */
async function grantOf(userId: string, workspaceId: string = SEED_IDS.acme) {
  const grant = await writer
    .insertInto('oauth_grants')
    .values({
      workspace_id: workspaceId,
      user_id: userId,
      client_id: 'membership-test-client',
      redirect_uri: 'http://localhost:3118/callback',
      scopes: ['CONTACTS_READ'],
      resource: 'http://localhost:3001/mcp',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const access = `access-${crypto.randomUUID()}`;
  const refresh = `refresh-${crypto.randomUUID()}`;
  const expires_at = new Date(Date.now() + 3_600_000);
  await writer
    .insertInto('oauth_tokens')
    .values([
      { token_hash: access, kind: 'access', grant_id: grant.id, expires_at },
      { token_hash: refresh, kind: 'refresh', grant_id: grant.id, expires_at },
    ])
    .execute();
  return { grantId: grant.id, access, refresh };
}

function grantRow(grantId: string) {
  return t.db
    .selectFrom('oauth_grants')
    .select(['revoked_at', 'revoked_reason'])
    .where('id', '=', grantId)
    .executeTakeFirst();
}

function liveTokens(grantId: string) {
  return t.db
    .selectFrom('oauth_tokens')
    .select('token_hash')
    .where('grant_id', '=', grantId)
    .where('revoked_at', 'is', null)
    .execute();
}

const removeMembership = (userId: string, workspaceId: string = SEED_IDS.acme) =>
  writer.deleteFrom('memberships').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();

async function listening(): Promise<ChangeFeed> {
  const feed = new ChangeFeed(t.url, TOKEN_VALIDITY_CHANNEL, { reconnectMs: 50 });
  feeds.push(feed);
  await feed.start();
  expect(feed.ready).toBe(true);
  return feed;
}

/** Whether `change`, committed by another connection, has moved the feed's epoch by the next fence. */
async function moves(feed: ChangeFeed, change: () => Promise<unknown>): Promise<boolean> {
  const before = await feed.fence();
  await change();
  return (await feed.fence()) !== before;
}

describe('the live-token lookup and membership', () => {
  it('excludes the token of a grant whose user is not a member of its workspace', async () => {
    // A grant that outlived its membership by any route (no trigger involved: never a member).
    const outsider = await person([]);
    const { access } = await grantOf(outsider);
    expect(await findActiveAccessToken(t.db, access)).toBeUndefined();
    const insider = await person([{ workspaceId: SEED_IDS.acme, role: 'member' }]);
    expect(await findActiveAccessToken(t.db, (await grantOf(insider)).access)).toMatchObject({ userId: insider });
  });
});

describe('migration 0011: removing a membership ends its grants, in the writer’s transaction', () => {
  it('a DELETE revokes that user’s live grants there (reason member_removed) and their tokens, and notifies', async () => {
    const feed = await listening();
    const leaver = await person([
      { workspaceId: SEED_IDS.acme, role: 'member' },
      { workspaceId: SEED_IDS.globex, role: 'member' },
    ]);
    const stayer = await person([{ workspaceId: SEED_IDS.acme, role: 'member' }]);
    const gone = await grantOf(leaver);
    const elsewhere = await grantOf(leaver, SEED_IDS.globex);
    const colleague = await grantOf(stayer);
    // A grant ended earlier keeps the reason it ended for.
    const earlier = await grantOf(leaver);
    await writer
      .updateTable('oauth_grants')
      .set({ revoked_at: new Date(), revoked_reason: 'revoked_by_admin' })
      .where('id', '=', earlier.grantId)
      .execute();

    expect(await moves(feed, () => removeMembership(leaver))).toBe(true);

    expect(await grantRow(gone.grantId)).toMatchObject({ revoked_reason: 'member_removed' });
    expect((await grantRow(gone.grantId))?.revoked_at).not.toBeNull();
    expect(await liveTokens(gone.grantId)).toEqual([]);
    expect(await findActiveAccessToken(t.db, gone.access)).toBeUndefined();
    expect(await grantRow(earlier.grantId)).toMatchObject({ revoked_reason: 'revoked_by_admin' });
    // Nothing beyond that user in that workspace.
    expect(await grantRow(elsewhere.grantId)).toMatchObject({ revoked_at: null, revoked_reason: null });
    expect(await grantRow(colleague.grantId)).toMatchObject({ revoked_at: null, revoked_reason: null });
    expect(await liveTokens(colleague.grantId)).toHaveLength(2);
  });

  it('a rolled-back removal changes nothing', async () => {
    const user = await person([{ workspaceId: SEED_IDS.acme, role: 'member' }]);
    const { grantId, access } = await grantOf(user);
    await writer
      .transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('memberships').where('user_id', '=', user).execute();
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(await grantRow(grantId)).toMatchObject({ revoked_at: null });
    expect(await findActiveAccessToken(t.db, access)).toBeDefined();
  });

  it('moving a membership to another user or workspace ends the grants of the old pair', async () => {
    const feed = await listening();
    const mover = await person([{ workspaceId: SEED_IDS.acme, role: 'member' }]);
    const other = await person([]);
    const byUser = await grantOf(mover);
    expect(
      await moves(feed, () =>
        writer.updateTable('memberships').set({ user_id: other }).where('user_id', '=', mover).execute(),
      ),
    ).toBe(true);
    expect(await grantRow(byUser.grantId)).toMatchObject({ revoked_reason: 'member_removed' });

    const byWorkspace = await grantOf(other);
    await writer
      .updateTable('memberships')
      .set({ workspace_id: SEED_IDS.globex })
      .where('user_id', '=', other)
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
    expect(await grantRow(byWorkspace.grantId)).toMatchObject({ revoked_reason: 'member_removed' });
  });

  it('a role change (admin → member and back) leaves the grants alone and notifies nobody', async () => {
    const feed = await listening();
    const user = await person([{ workspaceId: SEED_IDS.acme, role: 'admin' }]);
    const { grantId, access } = await grantOf(user);
    const setRole = (role: 'admin' | 'member') => () =>
      writer.updateTable('memberships').set({ role }).where('user_id', '=', user).execute();
    expect(await moves(feed, setRole('member'))).toBe(false);
    expect(await moves(feed, setRole('admin'))).toBe(false);
    expect(await grantRow(grantId)).toMatchObject({ revoked_at: null, revoked_reason: null });
    expect(await findActiveAccessToken(t.db, access)).toMatchObject({ grantId });
  });

  it('deleting the user (a cascade through memberships and grants) commits, and nothing of theirs is live', async () => {
    const feed = await listening();
    const user = await person([
      { workspaceId: SEED_IDS.acme, role: 'member' },
      { workspaceId: SEED_IDS.globex, role: 'admin' },
    ]);
    const acme = await grantOf(user);
    const globex = await grantOf(user, SEED_IDS.globex);
    expect(await moves(feed, () => writer.deleteFrom('users').where('id', '=', user).execute())).toBe(true);
    expect(await findActiveAccessToken(t.db, acme.access)).toBeUndefined();
    expect(await findActiveAccessToken(t.db, globex.access)).toBeUndefined();
  });

  it('deleting a workspace (a cascade) commits, and ends its members’ grants', async () => {
    const feed = await listening();
    const doomed = await writer
      .insertInto('workspaces')
      .values({ slug: `doomed-${crypto.randomUUID().slice(0, 8)}`, name: 'Doomed' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const user = await person([
      { workspaceId: doomed.id, role: 'admin' },
      { workspaceId: SEED_IDS.acme, role: 'member' },
    ]);
    const there = await grantOf(user, doomed.id);
    const kept = await grantOf(user);
    expect(await moves(feed, () => writer.deleteFrom('workspaces').where('id', '=', doomed.id).execute())).toBe(true);
    expect(await findActiveAccessToken(t.db, there.access)).toBeUndefined();
    expect(await grantRow(kept.grantId)).toMatchObject({ revoked_at: null });
  });

  // Last: it empties the table for the rest of this file.
  it('a TRUNCATE of memberships ends every grant and notifies', async () => {
    const feed = await listening();
    const user = await person([{ workspaceId: SEED_IDS.acme, role: 'member' }]);
    const { grantId, access } = await grantOf(user);
    expect(await moves(feed, () => sql`truncate memberships`.execute(writer))).toBe(true);
    expect(await grantRow(grantId)).toMatchObject({ revoked_reason: 'member_removed' });
    expect(await findActiveAccessToken(t.db, access)).toBeUndefined();
  });
});
