import { ceilingInForce, effectiveScopes } from '@enginy/policy/scopes';
import type { Db } from '../client.ts';

export interface Connection {
  grantId: string;
  clientId: string;
  clientName: string;
  userEmail: string;
  redirectUri: string;
  grantedScopes: string[];
  /** Granted ∩ the current policy ceiling; empty when MCP is off or the policy inactive (as the MCP endpoint sees it). */
  effectiveScopes: string[];
  createdAt: Date;
  lastUsedAt: Date;
  calls: number;
  callsByTool: { tool: string; calls: number; lastCalledAt: Date }[];
}

/** The workspace's live grants ("active connections"), newest first, with their tool usage. */
export async function listConnections(db: Db, workspaceId: string): Promise<Connection[]> {
  const [grants, settings] = await Promise.all([
    db
      .selectFrom('oauth_grants')
      .innerJoin('users', 'users.id', 'oauth_grants.user_id')
      .leftJoin('oauth_clients', 'oauth_clients.id', 'oauth_grants.client_id')
      .select([
        'oauth_grants.id',
        'oauth_grants.client_id',
        'oauth_clients.name as client_name',
        'users.email',
        'oauth_grants.redirect_uri',
        'oauth_grants.scopes',
        'oauth_grants.created_at',
        'oauth_grants.last_used_at',
      ])
      .where('oauth_grants.workspace_id', '=', workspaceId)
      .where('oauth_grants.revoked_at', 'is', null)
      .orderBy('oauth_grants.created_at', 'desc')
      .execute(),
    db.selectFrom('workspace_mcp_settings').select(['enabled', 'policy_active', 'policy_scopes']).where('workspace_id', '=', workspaceId).executeTakeFirst(),
  ]);
  const usage =
    grants.length === 0
      ? []
      : await db
          .selectFrom('mcp_tool_usage')
          .select(['grant_id', 'tool', 'calls', 'last_called_at'])
          .where(
            'grant_id',
            'in',
            grants.map((g) => g.id),
          )
          .orderBy('tool')
          .execute();
  const ceiling = ceilingInForce(settings && { enabled: settings.enabled, policyActive: settings.policy_active, policyScopes: settings.policy_scopes });
  return grants.map((g) => {
    const tools = usage.filter((u) => u.grant_id === g.id).map((u) => ({ tool: u.tool, calls: Number(u.calls), lastCalledAt: u.last_called_at }));
    return {
      grantId: g.id,
      clientId: g.client_id,
      clientName: g.client_name ?? g.client_id,
      userEmail: g.email,
      redirectUri: g.redirect_uri,
      grantedScopes: g.scopes,
      effectiveScopes: effectiveScopes(g.scopes, ceiling),
      createdAt: g.created_at,
      lastUsedAt: g.last_used_at,
      calls: tools.reduce((sum, t) => sum + t.calls, 0),
      callsByTool: tools,
    };
  });
}

/** A live grant of this workspace, or undefined (unknown, revoked, or another workspace's). */
export function findLiveWorkspaceGrant(db: Db, workspaceId: string, grantId: string) {
  return db
    .selectFrom('oauth_grants')
    .select(['id', 'client_id as clientId', 'redirect_uri as redirectUri', 'scopes', 'user_id as userId'])
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', grantId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** The ids of a client's live grants in this workspace. */
export async function liveGrantIdsOfClient(db: Db, workspaceId: string, clientId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('oauth_grants')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('client_id', '=', clientId)
    .where('revoked_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}
