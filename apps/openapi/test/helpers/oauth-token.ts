import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createPreregisteredClient } from '@enginy/db/queries/oauth-clients';
import { createGrant } from '@enginy/db/queries/oauth-grants';
import { insertTokens } from '@enginy/db/queries/oauth-tokens';
import { SEED_IDS } from '@enginy/db/seed';
import { newClientCredentials } from '@enginy/security/credentials';
import { hashSecret, newSecret } from '@enginy/security/tokens';

export interface MintedToken {
  token: string;
  grantId: string;
  clientId: string;
}

/**
 * An access token as the authorization server stores one (keyed hash, grant, audience), for route
 * tests of the MCP endpoint; the end-to-end tests get theirs through the real OAuth flow.
 */
export async function mintAccessToken(
  db: Db,
  config: StackConfig,
  options: {
    scopes: string[];
    workspace?: 'acme' | 'globex';
    /** The grant's user: the seeded admin (a member of both workspaces) unless given. */
    userId?: string;
    resource?: string;
    expiresInSeconds?: number;
  },
): Promise<MintedToken> {
  const { clientId } = await createPreregisteredClient(db, config.tokenHashKey, {
    ...newClientCredentials(),
    name: 'Route test client',
    redirectUris: [CLAUDE_CODE_REDIRECT_URI],
  });
  const grantId = await createGrant(db, {
    workspaceId: SEED_IDS[options.workspace ?? 'acme'],
    userId: options.userId ?? SEED_IDS.admin,
    clientId,
    redirectUri: CLAUDE_CODE_REDIRECT_URI,
    scopes: options.scopes,
    resource: options.resource ?? config.openapi.mcpUrl,
  });
  const token = newSecret('eat_');
  await insertTokens(db, grantId, [
    {
      hash: hashSecret(config.tokenHashKey, token),
      kind: 'access',
      expiresAt: new Date(Date.now() + (options.expiresInSeconds ?? 3600) * 1000),
    },
  ]);
  return { token, grantId, clientId };
}

/** A JSON-RPC request body. */
export const rpc = (method: string, params: Record<string, unknown> = {}, id = 1) => ({
  jsonrpc: '2.0',
  id,
  method,
  params,
});

export const MCP_HEADERS = { accept: 'application/json, text/event-stream', 'content-type': 'application/json' };

/** A new user, a member of the seeded workspace with that role (tests that end a membership use their own). */
export async function newMember(
  db: Db,
  role: 'admin' | 'member',
  workspace: 'acme' | 'globex' = 'acme',
): Promise<string> {
  const user = await db
    .insertInto('users')
    .values({ email: `member-${crypto.randomUUID()}@enginy.local`, name: 'Test Member', password_hash: 'x' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('memberships').values({ workspace_id: SEED_IDS[workspace], user_id: user.id, role }).execute();
  return user.id;
}
