import type { Db } from '../client.ts';

export interface McpSettings {
  workspaceId: string;
  enabled: boolean;
  allowedRedirectUris: string[];
  allowedClientIds: string[];
  policyScopes: string[];
  policyActive: boolean;
  updatedAt: Date;
}

export async function getMcpSettings(db: Db, workspaceId: string): Promise<McpSettings | undefined> {
  const row = await db.selectFrom('workspace_mcp_settings').selectAll().where('workspace_id', '=', workspaceId).executeTakeFirst();
  return (
    row && {
      workspaceId: row.workspace_id,
      enabled: row.enabled,
      allowedRedirectUris: row.allowed_redirect_uris,
      allowedClientIds: row.allowed_client_ids,
      policyScopes: row.policy_scopes,
      policyActive: row.policy_active,
      updatedAt: row.updated_at,
    }
  );
}

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash'])
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.trim().toLowerCase()))
    .executeTakeFirst();
}

/** The workspaces a user belongs to, with their role, in a stable order. */
export function listMemberships(db: Db, userId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('workspaces', 'workspaces.id', 'memberships.workspace_id')
    .select(['workspaces.id', 'workspaces.slug', 'workspaces.name', 'memberships.role'])
    .where('memberships.user_id', '=', userId)
    .orderBy('workspaces.name')
    .execute();
}
