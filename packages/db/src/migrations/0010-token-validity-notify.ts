import { type Kysely, sql } from 'kysely';

// Notifies TOKEN_VALIDITY_CHANNEL (change-feed.ts) from the writer's own transaction whenever a
// column the MCP endpoint's token check reads changes (queries/oauth-tokens.ts,
// findActiveAccessTokens). NOTIFY is transactional: listeners hear it when, and only if, the
// transaction commits. A trigger rather than a call in each writer, so that no writer (the console,
// /revoke, refresh reuse, the CLIs, a cascade, a hand-written UPDATE) can forget it. Columns the
// check does not read (a grant's last use, a token's spent_at) stay silent: the usage flush and
// refresh rotation write them constantly, and so do inserts of tokens and grants, which cannot
// change what an existing token stands for (a settings row can: the check joins it, and a workspace
// without one has MCP off). Repeated identical notifications in one transaction reach
// listeners once, so a row trigger costs one notification per transaction, not one per row.
const CHANNEL = 'enginy_token_validity';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create function notify_token_validity() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(CHANNEL)}, '');
      return null;
    end
  $$`.execute(db);

  const watched: { table: string; columns: string[]; rowEvents: 'insert or delete' | 'delete' }[] = [
    {
      table: 'oauth_tokens',
      columns: ['token_hash', 'kind', 'grant_id', 'expires_at', 'revoked_at'],
      rowEvents: 'delete',
    },
    {
      table: 'oauth_grants',
      columns: ['id', 'workspace_id', 'user_id', 'client_id', 'scopes', 'resource', 'revoked_at'],
      rowEvents: 'delete',
    },
    {
      table: 'workspace_mcp_settings',
      columns: ['workspace_id', 'enabled', 'policy_scopes', 'policy_active'],
      rowEvents: 'insert or delete',
    },
  ];
  for (const { table, columns, rowEvents } of watched) {
    const changed = sql.raw(columns.map((column) => `old.${column} is distinct from new.${column}`).join(' or '));
    const name = (suffix: string) => sql.id(`${table}_token_validity_${suffix}`);
    await sql`create trigger ${name('update')} after update on ${sql.table(table)}
      for each row when (${changed}) execute function notify_token_validity()`.execute(db);
    await sql`create trigger ${name('rows')} after ${sql.raw(rowEvents)} on ${sql.table(table)}
      for each row execute function notify_token_validity()`.execute(db);
    await sql`create trigger ${name('truncate')} after truncate on ${sql.table(table)}
      for each statement execute function notify_token_validity()`.execute(db);
  }
}
