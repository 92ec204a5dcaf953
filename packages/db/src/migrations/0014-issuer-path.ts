import { type Kysely, sql } from 'kysely';

// The failure lab's issuer-moved serves a second issuer beside the stack's own (the issuer URL plus a
// path, e.g. /v2). Credentials are bound to the issuer that issued them (SEP-2352): each client,
// pending request, code and grant records the path of its issuer. Null is the stack's own issuer, so
// every row written before (and every row while the lab is off) stays where it was.
const TABLES = ['oauth_clients', 'oauth_authorization_requests', 'oauth_codes', 'oauth_grants'] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const table of TABLES) await sql`alter table ${sql.table(table)} add column issuer_path text`.execute(db);
}
