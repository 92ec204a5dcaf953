// Workspaces, memberships, and each workspace's MCP settings (allowlists, policy scopes).
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

export type McpSettingsInput = Omit<McpSettings, 'workspaceId' | 'updatedAt'>;

/** A workspace by id or slug, for the command line. */
export async function findWorkspace(db: Db, idOrSlug: string) {
  return db
    .selectFrom('workspaces')
    .select(['id', 'slug', 'name'])
    .where((eb) =>
      /^[0-9a-f-]{36}$/i.test(idOrSlug) ? eb('id', '=', idOrSlug) : eb('slug', '=', idOrSlug.toLowerCase()),
    )
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

export async function getMcpSettings(db: Db, workspaceId: string): Promise<McpSettings | undefined> {
  const row = await db
    .selectFrom('workspace_mcp_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst();
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

/** Replaces a workspace's MCP settings; returns what was there before (undefined: never saved) and after. */
export async function saveMcpSettings(
  db: Db,
  workspaceId: string,
  input: McpSettingsInput,
): Promise<{ before: McpSettings | undefined; after: McpSettings }> {
  return db.transaction().execute(async (trx) => {
    // Lock the row so two concurrent saves record consistent before/after pairs.
    await trx
      .selectFrom('workspace_mcp_settings')
      .select('workspace_id')
      .where('workspace_id', '=', workspaceId)
      .forUpdate()
      .execute();
    const before = await getMcpSettings(trx, workspaceId);
    const values = {
      enabled: input.enabled,
      allowed_redirect_uris: input.allowedRedirectUris,
      allowed_client_ids: input.allowedClientIds,
      policy_scopes: input.policyScopes,
      policy_active: input.policyActive,
    };
    await trx
      .insertInto('workspace_mcp_settings')
      .values({ workspace_id: workspaceId, ...values })
      .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ ...values, updated_at: new Date() }))
      .execute();
    const after = (await getMcpSettings(trx, workspaceId)) as McpSettings;
    return { before, after };
  });
}

/** Every workspace's MCP switch and policy (the discovery documents advertise what they allow together). */
export function listMcpPolicies(
  db: Db,
): Promise<{ enabled: boolean; policyActive: boolean; policyScopes: string[] }[]> {
  return db
    .selectFrom('workspace_mcp_settings')
    .select(['enabled', 'policy_active as policyActive', 'policy_scopes as policyScopes'])
    .execute();
}
