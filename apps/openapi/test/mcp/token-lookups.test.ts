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

/** Counts the queries a Db runs, to see that concurrent lookups share one. */
function counting(db: Db): { db: Db; queries: () => number } {
  let count = 0;
  const wrapped = db.withPlugin({
    transformQuery: (args) => {
      count++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  });
  return { db: wrapped, queries: () => count };
}

describe('TokenLookups', () => {
  it('answers each of many concurrent lookups with its own token, in one query', async () => {
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
    const found = await Promise.all([...hashes, hashes[0] as string].map((hash) => lookups.find(hash)));
    expect(found.map((token) => token?.grantId)).toEqual([
      ...minted.map(({ grantId }) => grantId),
      undefined,
      minted[0]?.grantId,
    ]);
    expect(found[1]?.grantedScopes).toEqual(['LISTS_READ']);
    expect(queries()).toBe(1);
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
