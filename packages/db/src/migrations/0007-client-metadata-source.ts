import { type Kysely, sql } from 'kysely';

// Where a client ID metadata document client's metadata came from (fetched live, a bundled copy of a
// well-known client's public document, or an unverified loopback-only client in development), and
// when the live document was last tried, so an unreachable host is not retried on every request.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('oauth_clients')
    .addColumn('metadata_source', 'text', (col) =>
      col.check(sql`metadata_source in ('fetched', 'bundled', 'unverified')`),
    )
    .addColumn('metadata_checked_at', 'timestamptz')
    .execute();
  // What the client's metadata was when /authorize accepted the request, for the consent page.
  await db.schema
    .alterTable('oauth_authorization_requests')
    .addColumn('client_source', 'text', (col) =>
      col.check(sql`client_source in ('fetched', 'cached', 'bundled', 'unverified')`),
    )
    .execute();
  await sql`update oauth_clients set metadata_source = 'fetched', metadata_checked_at = fetched_at where kind = 'cimd'`.execute(
    db,
  );
}
