import { ChangeFeed, TOKEN_VALIDITY_CHANNEL } from '@enginy/db/change-feed';
import { createDb, type Db } from '@enginy/db/client';
import { SEED_IDS } from '@enginy/db/seed';
import { revokeGrant } from '@enginy/db/queries/oauth-grants';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { testConfig } from '@enginy/testing/config';
import { hashSecret } from '@enginy/security/tokens';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { TokenLookups } from '../../src/mcp/token-lookups.ts';
import { mintAccessToken, newMember } from '../helpers/oauth-token.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.drop();
});

/**
 * Counts the queries a Db runs, to see that concurrent lookups share one. The lookup's SQL is
 * compiled once per Db, so a plugin's transformQuery would count compilations; transformResult
 * runs once per executed query.
 */
function counting(db: Db): { db: Db; queries: () => number } {
  let count = 0;
  const wrapped = db.withPlugin({
    transformQuery: (args) => args.node,
    transformResult: async (args) => {
      count++;
      return args.result;
    },
  });
  return { db: wrapped, queries: () => count };
}

describe('TokenLookups', () => {
  it('sends a lookup at once when none is in flight, so the database works while the body is parsed', async () => {
    const config = testConfig(t.url);
    const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    let started = 0;
    // The same Db, counting the queries it is handed (Kysely's methods need their own instance as this).
    const spy = new Proxy(t.db, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property);
        if (property === 'executeQuery')
          return (...args: Parameters<Db['executeQuery']>) => {
            started++;
            return target.executeQuery(...args);
          };
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const lookups = new TokenLookups(spy);
    const found = lookups.find(hashSecret(config.tokenHashKey, token));
    // Not held for a batch (setImmediate): the query is on its way before this turn of the event loop ends.
    expect(started).toBe(1);
    expect((await found)?.grantId).toBe(grantId);
  });

  it('answers each of many concurrent lookups with its own token, in one query while another is in flight', async () => {
    const config = testConfig(t.url);
    const minted = await Promise.all(
      [['CONTACTS_READ'], ['LISTS_READ'], ['CAMPAIGNS_READ']].map((scopes) =>
        mintAccessToken(t.db, config, { scopes }),
      ),
    );
    const { db, queries } = counting(t.db);
    const lookups = new TokenLookups(db);
    const hashes = [
      ...minted.map(({ token }) => hashSecret(config.tokenHashKey, token)),
      hashSecret(config.tokenHashKey, 'eat_unknown'),
    ];
    // The first goes alone, at once; the rest arrive while it is in flight and share the next query.
    const first = lookups.find(hashes[0] as string);
    const found = await Promise.all([...hashes, hashes[0] as string].map((hash) => lookups.find(hash)));
    expect((await first)?.grantId).toBe(minted[0]?.grantId);
    expect(found.map((token) => token?.grantId)).toEqual([
      ...minted.map(({ grantId }) => grantId),
      undefined,
      minted[0]?.grantId,
    ]);
    expect(found[1]?.grantedScopes).toEqual(['LISTS_READ']);
    expect(queries()).toBe(2);
  });

  it('without a change feed remembers nothing: a token revoked between two lookups is refused by the second', async () => {
    const config = testConfig(t.url);
    const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    const lookups = new TokenLookups(t.db);
    const hash = hashSecret(config.tokenHashKey, token);
    expect(await lookups.find(hash)).toBeDefined();
    await revokeGrant(t.db, grantId, 'test');
    expect(await lookups.find(hash)).toBeUndefined();
  });

  it('a failing query rejects every lookup of its batch, and later lookups work again', async () => {
    const config = testConfig(t.url);
    const { token } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    let fail = true;
    const flaky = t.db.withPlugin({
      transformQuery: (args) => {
        if (fail) throw new Error('database unavailable');
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const lookups = new TokenLookups(flaky);
    const hash = hashSecret(config.tokenHashKey, token);
    const results = await Promise.allSettled([lookups.find(hash), lookups.find(hash)]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await lookups.find(hash)).toBeDefined();
  });
});

describe('TokenLookups with the token-validity feed', () => {
  /** Another pool: the writes of another replica, or of the console on the auth service. */
  let writer: Db;
  let feed: ChangeFeed;
  beforeAll(() => {
    writer = createDb(t.url, { max: 2 });
  });
  afterAll(() => writer.destroy());
  afterEach(async () => {
    await feed?.close();
    await writer
      .updateTable('workspace_mcp_settings')
      .set({ enabled: true, policy_active: true, policy_scopes: ['ALL'] })
      .where('workspace_id', '=', SEED_IDS.acme)
      .execute();
  });

  async function remembering(db: Db): Promise<TokenLookups> {
    feed = new ChangeFeed(t.url, TOKEN_VALIDITY_CHANNEL);
    await feed.start();
    return new TokenLookups(db, feed);
  }

  it('remembers a verified token: the next lookup of it reads no table', async () => {
    const config = testConfig(t.url);
    const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    const { db, queries } = counting(t.db);
    const lookups = await remembering(db);
    const hash = hashSecret(config.tokenHashKey, token);
    expect((await lookups.find(hash))?.grantId).toBe(grantId);
    for (let call = 0; call < 5; call++) expect((await lookups.find(hash))?.grantId).toBe(grantId);
    expect(queries()).toBe(1);
  });

  it('applies a change another connection committed to the very next lookup, every time', async () => {
    const config = testConfig(t.url);
    const lookups = await remembering(t.db);
    const acme = () => writer.updateTable('workspace_mcp_settings').where('workspace_id', '=', SEED_IDS.acme);
    for (let round = 0; round < 10; round++) {
      const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ', 'LISTS_READ'] });
      const hash = hashSecret(config.tokenHashKey, token);
      await lookups.find(hash);
      expect((await lookups.find(hash))?.effectiveScopes).toEqual(['CONTACTS_READ', 'LISTS_READ']);

      await acme()
        .set({ policy_scopes: ['CONTACTS_READ'] })
        .execute();
      expect((await lookups.find(hash))?.effectiveScopes).toEqual(['CONTACTS_READ']);
      await acme().set({ enabled: false }).execute();
      expect((await lookups.find(hash))?.mcpEnabled).toBe(false);
      await acme()
        .set({ enabled: true, policy_scopes: ['ALL'] })
        .execute();
      expect((await lookups.find(hash))?.mcpEnabled).toBe(true);
      await revokeGrant(writer, grantId, 'test');
      expect(await lookups.find(hash)).toBeUndefined();
    }
  });

  it('does not remember a token read before a change that committed while the read was in flight', async () => {
    const config = testConfig(t.url);
    const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    let revokeDuringRead = true;
    // The read's rows are back; the revoke commits and is heard before the lookup hands them over.
    const slow = t.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => {
        if (revokeDuringRead) {
          revokeDuringRead = false;
          await revokeGrant(writer, grantId, 'test');
          await feed.fence();
        }
        return args.result;
      },
    });
    const lookups = await remembering(slow);
    const hash = hashSecret(config.tokenHashKey, token);
    // Read before the revoke: this request arrived first, and is answered as of then.
    expect(await lookups.find(hash)).toBeDefined();
    expect(await lookups.find(hash)).toBeUndefined();
  });

  it('treats a remembered token as expired once its expiry passes', async () => {
    const config = testConfig(t.url);
    const { token } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'], expiresInSeconds: 1 });
    const { db, queries } = counting(t.db);
    const lookups = await remembering(db);
    const hash = hashSecret(config.tokenHashKey, token);
    expect(await lookups.find(hash)).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await lookups.find(hash)).toBeUndefined();
    expect(queries()).toBe(2);
  });

  it('reads the database for every lookup while the feed is not listening', async () => {
    const config = testConfig(t.url);
    const { token } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'] });
    const { db, queries } = counting(t.db);
    const lookups = await remembering(db);
    const hash = hashSecret(config.tokenHashKey, token);
    await lookups.find(hash);
    await feed.close();
    await lookups.find(hash);
    await lookups.find(hash);
    expect(queries()).toBe(3);
  });

  it('does not use a remembered token after a membership delete another pool committed, every time', async () => {
    const config = testConfig(t.url);
    const lookups = await remembering(t.db);
    for (let round = 0; round < 10; round++) {
      const userId = await newMember(writer, 'member');
      const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'], userId });
      const hash = hashSecret(config.tokenHashKey, token);
      await lookups.find(hash);
      // Remembered: what a removal must not leave in use.
      expect(await lookups.find(hash)).toMatchObject({ grantId });

      await writer
        .deleteFrom('memberships')
        .where('workspace_id', '=', SEED_IDS.acme)
        .where('user_id', '=', userId)
        .execute();
      expect(await lookups.find(hash)).toMatchObject({ grantId, member: false });
      // Added back, the grant given before stays ended: a new membership authorizes anew.
      await writer
        .insertInto('memberships')
        .values({ workspace_id: SEED_IDS.acme, user_id: userId, role: 'member' })
        .execute();
      expect(await lookups.find(hash)).toMatchObject({ grantId, member: false });
    }
  });

  it('keeps using a remembered token across a role change (admin → member): no notification, no read', async () => {
    const config = testConfig(t.url);
    const userId = await newMember(writer, 'admin');
    const { token, grantId } = await mintAccessToken(t.db, config, { scopes: ['CONTACTS_READ'], userId });
    const { db, queries } = counting(t.db);
    const lookups = await remembering(db);
    const hash = hashSecret(config.tokenHashKey, token);
    expect(await lookups.find(hash)).toMatchObject({ grantId });
    await writer.updateTable('memberships').set({ role: 'member' }).where('user_id', '=', userId).execute();
    const after = await lookups.find(hash);
    expect(after).toMatchObject({ grantId });
    expect(after?.member).not.toBe(false);
    expect(queries()).toBe(1);
  });
});
