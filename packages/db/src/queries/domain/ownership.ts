import type { Db } from '../../client.ts';

type OwnedTable = 'contacts' | 'companies' | 'lists' | 'campaigns' | 'sender_identities' | 'crm_owners';

/**
 * The ids of `ids` that are rows of `table` in the workspace. An id from another workspace is
 * treated exactly like one that does not exist, so ids never leak across workspaces.
 */
export async function existingIds(
  db: Db,
  table: OwnedTable,
  workspaceId: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table as 'contacts')
    .select('id')
    .where('workspace_id', '=', workspaceId)
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((row) => row.id));
}
