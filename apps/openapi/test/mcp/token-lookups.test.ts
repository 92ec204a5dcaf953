import type { Db } from '@enginy/db/client';
import { revokeGrant } from '@enginy/db/queries/oauth-grants';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { testConfig } from '@enginy/testing/config';
import { hashSecret } from '@enginy/security/tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenLookups } from '../../src/mcp/token-lookups.ts';
import { mintAccessToken } from '../helpers/oauth-token.ts';

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

  it('caches nothing: a token revoked between two lookups is refused by the second', async () => {
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
