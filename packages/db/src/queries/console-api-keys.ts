import type { Db } from '../client.ts';

/** The workspace's live API keys, newest first; never the key itself (only its prefix). */
export function listApiKeys(db: Db, workspaceId: string) {
  return db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select(['api_keys.id', 'api_keys.name', 'api_keys.prefix', 'api_keys.scopes', 'api_keys.created_at as createdAt', 'api_keys.last_used_at as lastUsedAt', 'users.email as createdBy'])
    .where('api_keys.workspace_id', '=', workspaceId)
    .where('api_keys.revoked_at', 'is', null)
    .orderBy('api_keys.created_at', 'desc')
    .execute();
}
