import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
import { issueApiKey, revokeApiKey } from '@enginy/db/queries/api-keys';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { createGrant, revokeGrant } from '@enginy/db/queries/oauth-grants';
import { insertTokens } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { newApiKey, newClientCredentials } from '@enginy/security/credentials';
import { hashSecret, newSecret } from '@enginy/security/tokens';

// Each key, and each client's token, may call an operation 600 times a minute (/v1/credits and the
// get_credits tool alike); enough of them, used in turn (as many clients would), keep every call under
// its limit, so the figures are for served calls. 1,000 allow 600,000 a minute. On a machine whose bare
// route reached 42,000 req/s, the read scenario sent about 200,000 get_credits calls at 1, 10 and 50
// connections within its first minute, where 200 tokens allowed 120,000: 43,987 were refused.
export const CREDENTIALS = 1000;

async function withDb<T>(databaseUrl: string, use: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(databaseUrl, { max: 4 });
  try {
    return await use(db);
  } finally {
    await db.destroy();
  }
}

/** Issues API keys, runs `use` with them, then revokes them: a bench leaves no live keys behind. */
export function withApiKeys<T>(
  databaseUrl: string,
  config: StackConfig,
  use: (keys: string[]) => Promise<T>,
): Promise<T> {
  return withDb(databaseUrl, async (db) => {
    const issued: { id: string; key: string }[] = [];
    try {
      for (let i = 0; i < CREDENTIALS; i++)
        issued.push(
          await issueApiKey(db, config.tokenHashKey, {
            key: newApiKey(),
            workspaceId: SEED_IDS.acme,
            name: `bench-${i}`,
            scopes: ['WORKSPACE_READ'],
          }),
        );
      return await use(issued.map(({ key }) => key));
    } finally {
      for (const { id } of issued) await revokeApiKey(db, SEED_IDS.acme, id);
    }
  });
}

/**
 * OAuth access tokens for the MCP endpoint, stored exactly as the authorization server stores them
 * (keyed hash, audience = the MCP URL), one per pre-registered client and grant, revoked afterwards
 * with their grants. Separate clients are separate rate-limit buckets (a tool call through a REST
 * route is limited per client and user), so the figures are for served calls, as with many users.
 */
export function withAccessTokens<T>(
  databaseUrl: string,
  config: StackConfig,
  count: number,
  use: (tokens: string[]) => Promise<T>,
): Promise<T> {
  return withDb(databaseUrl, async (db) => {
    const grants: string[] = [];
    const tokens: string[] = [];
    const expiresAt = new Date(Date.now() + 3_600_000);
    try {
      for (let i = 0; i < count; i++) {
        const { clientId } = await createPreregisteredClient(db, config.tokenHashKey, {
          ...newClientCredentials(),
          name: `Benchmark client ${i}`,
          redirectUris: [CLAUDE_CODE_REDIRECT_URI],
        });
        const grantId = await createGrant(db, {
          workspaceId: SEED_IDS.acme,
          userId: SEED_IDS.admin,
          clientId,
          redirectUri: CLAUDE_CODE_REDIRECT_URI,
          scopes: ['WORKSPACE_READ'],
          resource: config.openapi.mcpUrl,
        });
        grants.push(grantId);
        const token = newSecret('eat_');
        await insertTokens(db, grantId, [{ hash: hashSecret(config.tokenHashKey, token), kind: 'access', expiresAt }]);
        tokens.push(token);
      }
      return await use(tokens);
    } finally {
      for (const grantId of grants) await revokeGrant(db, grantId, 'benchmark finished');
    }
  });
}
