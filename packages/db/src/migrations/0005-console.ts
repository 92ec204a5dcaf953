import type { Kysely } from 'kysely';

// The console: a pre-registered client belongs to the workspace whose admin created it, and an API
// key shows when it was last used (null until the REST API records it).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('workspace_id', 'uuid', (col) => col.references('workspaces.id').onDelete('cascade'))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('last_used_at', 'timestamptz').execute();
}
