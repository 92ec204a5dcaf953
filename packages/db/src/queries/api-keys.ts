// REST API keys (`x-api-key`), stored as keyed hashes.
import { API_KEY_PREFIX } from '@enginy/security/credentials';
import { hashSecret } from '@enginy/security/tokens';
import { sql } from 'kysely';
import type { Db } from '../client.ts';

export interface IssuedApiKey {
  id: string;
  /** The key itself: shown once, never stored. */
  key: string;
  name: string;
  workspaceId: string;
  scopes: string[];
}

export interface ApiKeyRecord {
  id: string;
  workspaceId: string;
  createdBy: string | null;
  scopes: string[];
}

/**
 * Stores a key the caller minted (newApiKey) with scopes it checked: only its keyed hash (HMAC with
 * `hashKey`) and its first characters are kept.
 */
export async function issueApiKey(
  db: Db,
  hashKey: string,
  input: { key: string; workspaceId: string; name: string; scopes: string[]; createdBy?: string | null },
): Promise<IssuedApiKey> {
  const { key } = input;
  const row = await db
    .insertInto('api_keys')
    .values({
      workspace_id: input.workspaceId,
      name: input.name,
      created_by: input.createdBy ?? null,
      key_hash: hashSecret(hashKey, key),
      prefix: key.slice(0, API_KEY_PREFIX.length + 6),
      scopes: input.scopes,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, key, name: input.name, workspaceId: input.workspaceId, scopes: input.scopes };
}

/** The live (unrevoked) key whose keyed hash matches, if any. */
export async function findApiKey(db: Db, hashKey: string, key: string): Promise<ApiKeyRecord | undefined> {
  return db
    .selectFrom('api_keys')
    .select(['id', 'workspace_id as workspaceId', 'created_by as createdBy', 'scopes'])
    .where('key_hash', '=', hashSecret(hashKey, key))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
}

/** Moves each key's `last_used_at` forward, never back (batched writes may land out of order). */
export async function touchApiKeys(db: Db, lastUsed: ReadonlyMap<string, Date>): Promise<void> {
  if (lastUsed.size === 0) return;
  const ids = [...lastUsed.keys()];
  const times = ids.map((id) => (lastUsed.get(id) as Date).toISOString());
  await sql`update api_keys set last_used_at = greatest(api_keys.last_used_at, used.at)
    from unnest(${ids}::uuid[], ${times}::timestamptz[]) as used(id, at)
    where api_keys.id = used.id`.execute(db);
}

export async function revokeApiKey(db: Db, workspaceId: string, keyId: string): Promise<boolean> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: new Date() })
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', keyId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** The workspace's live API keys, newest first; never the key itself (only its prefix). */
export function listApiKeys(db: Db, workspaceId: string) {
  return db
    .selectFrom('api_keys')
    .leftJoin('users', 'users.id', 'api_keys.created_by')
    .select([
      'api_keys.id',
      'api_keys.name',
      'api_keys.prefix',
      'api_keys.scopes',
      'api_keys.created_at as createdAt',
      'api_keys.last_used_at as lastUsedAt',
      'users.email as createdBy',
    ])
    .where('api_keys.workspace_id', '=', workspaceId)
    .where('api_keys.revoked_at', 'is', null)
    .orderBy('api_keys.created_at', 'desc')
    .execute();
}
