// Grants (a user's consent for a client in a workspace), listed as the console's connections, and
// the MCP tool usage counted per grant.
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import { recordFirstMcpSteps, toolsByGrant } from './flow-steps.ts';

export async function createGrant(
  db: Db,
  grant: {
    workspaceId: string;
    userId: string;
    clientId: string;
    redirectUri: string;
    scopes: string[];
    resource: string;
    /** The issuer path it was granted at (failure lab issuer-moved); null: the stack's own issuer. */
    issuerPath?: string | null;
  },
): Promise<string> {
  const row = await db
    .insertInto('oauth_grants')
    .values({
      workspace_id: grant.workspaceId,
      user_id: grant.userId,
      client_id: grant.clientId,
      redirect_uri: grant.redirectUri,
      scopes: grant.scopes,
      resource: grant.resource,
      issuer_path: grant.issuerPath ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Revokes a grant and every token it issued: the connection stops working at once. */
export async function revokeGrant(db: Db, grantId: string, reason: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('oauth_grants')
      .set({ revoked_at: sql<Date>`now()`, revoked_reason: reason })
      .where('id', '=', grantId)
      .where('revoked_at', 'is', null)
      .execute();
    await trx
      .updateTable('oauth_tokens')
      .set({ revoked_at: sql<Date>`now()` })
      .where('grant_id', '=', grantId)
      .where('revoked_at', 'is', null)
      .execute();
  });
}

export async function touchGrant(db: Db, grantId: string): Promise<void> {
  await db.updateTable('oauth_grants').set({ last_used_at: new Date() }).where('id', '=', grantId).execute();
}

export interface Connection {
  grantId: string;
  clientId: string;
  clientName: string;
  userEmail: string;
  redirectUri: string;
  grantedScopes: string[];
  createdAt: Date;
  lastUsedAt: Date;
  calls: number;
  callsByTool: { tool: string; calls: number; lastCalledAt: Date }[];
}

/** A workspace's grants with what a connections list shows of each: client, user, redirect, scopes, times. */
function workspaceGrants(db: Db, workspaceId: string) {
  return db
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
    .where('oauth_grants.workspace_id', '=', workspaceId);
}

/**
 * The workspace's live grants ("active connections"), newest first, with their tool usage. What the
 * policy leaves of each is the caller's to compute (policy's effectiveScopes with the workspace's settings).
 */
export async function listConnections(db: Db, workspaceId: string): Promise<Connection[]> {
  const grants = await workspaceGrants(db, workspaceId)
    .where('oauth_grants.revoked_at', 'is', null)
    .orderBy('oauth_grants.created_at', 'desc')
    .execute();
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
  return grants.map((g) => {
    const tools = usage
      .filter((u) => u.grant_id === g.id)
      .map((u) => ({ tool: u.tool, calls: Number(u.calls), lastCalledAt: u.last_called_at }));
    return {
      grantId: g.id,
      clientId: g.client_id,
      clientName: g.client_name ?? g.client_id,
      userEmail: g.email,
      redirectUri: g.redirect_uri,
      grantedScopes: g.scopes,
      createdAt: g.created_at,
      lastUsedAt: g.last_used_at,
      calls: tools.reduce((sum, t) => sum + t.calls, 0),
      callsByTool: tools,
    };
  });
}

export interface EndedConnection {
  grantId: string;
  clientId: string;
  clientName: string;
  userEmail: string;
  redirectUri: string;
  grantedScopes: string[];
  createdAt: Date;
  lastUsedAt: Date;
  endedAt: Date;
  reason: string;
}

/**
 * The workspace's grants revoked for one of `reasons` since `since`, most recently ended first: the
 * connections page keeps showing them as ended, so a connection does not silently disappear.
 */
export async function listEndedConnections(
  db: Db,
  workspaceId: string,
  { reasons, since }: { reasons: readonly string[]; since: Date },
): Promise<EndedConnection[]> {
  if (reasons.length === 0) return [];
  const rows = await workspaceGrants(db, workspaceId)
    .select(['oauth_grants.revoked_at', 'oauth_grants.revoked_reason'])
    .where('oauth_grants.revoked_at', '>=', since)
    .where('oauth_grants.revoked_reason', 'in', reasons)
    .orderBy('oauth_grants.revoked_at', 'desc')
    .execute();
  return rows.map((g) => ({
    grantId: g.id,
    clientId: g.client_id,
    clientName: g.client_name ?? g.client_id,
    userEmail: g.email,
    redirectUri: g.redirect_uri,
    grantedScopes: g.scopes,
    createdAt: g.created_at,
    lastUsedAt: g.last_used_at,
    endedAt: g.revoked_at as Date,
    reason: g.revoked_reason as string,
  }));
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

/** Every scope the user's live grants give this client in this workspace (sorted, once each). */
export async function liveGrantedScopes(
  db: Db,
  ids: { workspaceId: string; userId: string; clientId: string },
): Promise<string[]> {
  const rows = await db
    .selectFrom('oauth_grants')
    .select('scopes')
    .where('workspace_id', '=', ids.workspaceId)
    .where('user_id', '=', ids.userId)
    .where('client_id', '=', ids.clientId)
    .where('revoked_at', 'is', null)
    .execute();
  return [...new Set(rows.flatMap((row) => row.scopes))].sort();
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

export interface ToolUsage {
  grantId: string;
  tool: string;
  calls: number;
  lastCalledAt: Date;
}

/** Adds batched call counts and moves each grant's last-used time forward, in one transaction. */
export async function recordMcpUsage(
  db: Db,
  usage: readonly ToolUsage[],
  lastUsed: ReadonlyMap<string, Date>,
): Promise<void> {
  if (usage.length === 0 && lastUsed.size === 0) return;
  await db.transaction().execute(async (trx) => {
    if (usage.length > 0) {
      await trx
        .insertInto('mcp_tool_usage')
        .values(
          usage.map((u) => ({ grant_id: u.grantId, tool: u.tool, calls: u.calls, last_called_at: u.lastCalledAt })),
        )
        .onConflict((oc) =>
          oc.columns(['grant_id', 'tool']).doUpdateSet({
            calls: sql`mcp_tool_usage.calls + excluded.calls`,
            last_called_at: sql`greatest(mcp_tool_usage.last_called_at, excluded.last_called_at)`,
          }),
        )
        .execute();
    }
    if (lastUsed.size > 0) {
      // One statement for every grant of the batch: a statement per grant cost the MCP endpoint 4% of
      // its CPU at 50 connections (`pnpm bench mcp --cpu-prof`), each built, sent and answered alone.
      const ids = [...lastUsed.keys()];
      const times = [...lastUsed.values()];
      await sql`update oauth_grants set last_used_at = greatest(oauth_grants.last_used_at, used.at)
        from unnest(${ids}::uuid[], ${times}::timestamptz[]) as used(id, at)
        where oauth_grants.id = used.id`.execute(trx);
    }
    // A grant's first flush is its first MCP call, for the console's flows: one statement a flush.
    await recordFirstMcpSteps(trx, lastUsed, toolsByGrant(usage));
  });
}

/** The names behind a token's ids (user, workspace, client), for `mcp_whoami`. */
export function findConnectionNames(db: Db, ids: { userId: string; workspaceId: string; clientId: string }) {
  return db
    .selectFrom('users')
    .innerJoin('workspaces', (join) => join.on('workspaces.id', '=', ids.workspaceId))
    .leftJoin('oauth_clients', (join) => join.on('oauth_clients.id', '=', ids.clientId))
    .select([
      'users.email',
      'users.name as userName',
      'workspaces.slug',
      'workspaces.name as workspaceName',
      'oauth_clients.name as clientName',
    ])
    .where('users.id', '=', ids.userId)
    .executeTakeFirst();
}
