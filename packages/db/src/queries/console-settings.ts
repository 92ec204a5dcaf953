import type { Db } from '../client.ts';
import { getMcpSettings, type McpSettings } from './workspaces.ts';

export type McpSettingsInput = Omit<McpSettings, 'workspaceId' | 'updatedAt'>;

/** Replaces a workspace's MCP settings; returns what was there before (undefined: never saved) and after. */
export async function saveMcpSettings(db: Db, workspaceId: string, input: McpSettingsInput): Promise<{ before: McpSettings | undefined; after: McpSettings }> {
  return db.transaction().execute(async (trx) => {
    // Lock the row so two concurrent saves record consistent before/after pairs.
    await trx.selectFrom('workspace_mcp_settings').select('workspace_id').where('workspace_id', '=', workspaceId).forUpdate().execute();
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
