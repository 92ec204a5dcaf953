import { type Kysely, sql } from 'kysely';

// Where a dynamic client was registered from (the caller's address as the auth service sees it, an
// IPv6 /64 as one), so the cap on clients that never completed a grant is per address instead of
// one global count anyone could fill; and when it was last registered (an identical re-registration
// reuses it), from which a client that never completed a grant expires. Existing clients have no
// address and count for nobody.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('registered_from', 'text')
    .addColumn('registered_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create index oauth_clients_registered_from_idx on oauth_clients (registered_from) where kind = 'dynamic' and deleted_at is null`.execute(
    db,
  );
  // "Has this client completed a grant?" is asked per client by the cap and by the hourly purge.
  await db.schema.createIndex('oauth_grants_client_idx').on('oauth_grants').column('client_id').execute();
}
