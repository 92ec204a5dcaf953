import { sql } from 'kysely';
import type { Db } from '../client.ts';

export interface ToolUsage {
  grantId: string;
  tool: string;
  calls: number;
  lastCalledAt: Date;
}

/** Adds batched call counts and moves each grant's last-used time forward, in one transaction. */
export async function recordMcpUsage(db: Db, usage: readonly ToolUsage[], lastUsed: ReadonlyMap<string, Date>): Promise<void> {
  if (usage.length === 0 && lastUsed.size === 0) return;
  await db.transaction().execute(async (trx) => {
    if (usage.length > 0) {
      await trx
        .insertInto('mcp_tool_usage')
        .values(usage.map((u) => ({ grant_id: u.grantId, tool: u.tool, calls: u.calls, last_called_at: u.lastCalledAt })))
        .onConflict((oc) =>
          oc.columns(['grant_id', 'tool']).doUpdateSet({
            calls: sql`mcp_tool_usage.calls + excluded.calls`,
            last_called_at: sql`greatest(mcp_tool_usage.last_called_at, excluded.last_called_at)`,
          }),
        )
        .execute();
    }
    for (const [grantId, at] of lastUsed) {
      await trx
        .updateTable('oauth_grants')
        .set({ last_used_at: sql`greatest(last_used_at, ${at})` })
        .where('id', '=', grantId)
        .execute();
    }
  });
}

export function listToolUsage(db: Db, grantId: string) {
  return db.selectFrom('mcp_tool_usage').select(['tool', 'calls', 'last_called_at']).where('grant_id', '=', grantId).orderBy('tool').execute();
}

/** The names behind a token's ids (user, workspace, client), for `mcp_whoami`. */
export function findConnectionNames(db: Db, ids: { userId: string; workspaceId: string; clientId: string }) {
  return db
    .selectFrom('users')
    .innerJoin('workspaces', (join) => join.on('workspaces.id', '=', ids.workspaceId))
    .leftJoin('oauth_clients', (join) => join.on('oauth_clients.id', '=', ids.clientId))
    .select(['users.email', 'users.name as userName', 'workspaces.slug', 'workspaces.name as workspaceName', 'oauth_clients.name as clientName'])
    .where('users.id', '=', ids.userId)
    .executeTakeFirst();
}

/**
 * The scopes an unauthenticated MCP request is told to ask for (the 401 challenge's `scope`):
 * every scope some MCP-enabled workspace's active policy allows. Which workspace a client will
 * land in is only known after sign-in; asking for no more than the policies allow keeps the first
 * connection within the ceiling.
 */
export async function enabledPolicyScopes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('workspace_mcp_settings')
    .select('policy_scopes')
    .where('enabled', '=', true)
    .where('policy_active', '=', true)
    .execute();
  return [...new Set(rows.flatMap((row) => row.policy_scopes))].sort();
}
