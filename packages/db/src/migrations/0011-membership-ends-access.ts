import { type Kysely, sql } from 'kysely';

// A grant is alive only while its user is a member of its workspace. When a membership
// ends, by a DELETE, a TRUNCATE, or an UPDATE that moves it to another user or workspace, and
// whoever the writer is (the console, a CLI, psql, the cascade from deleting a user or workspace),
// these triggers revoke, in the writer's own transaction, that user's live grants in that workspace
// and their tokens, with revoked_reason 'member_removed' (the console's connections page shows it),
// and notify the token-validity channel (migration 0010, change-feed.ts), so that no replica uses a
// token it remembered from before the removal. A role change is not a removal: MCP is not admin-only,
// so the triggers stay silent for it. The MCP lookup also joins memberships (queries/oauth-tokens.ts),
// so a grant that outlived its membership any other way is refused all the same.
const CHANNEL = 'enginy_token_validity';
const REASON = 'member_removed';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Ends the live grants (and their tokens) of the pair (workspace, user) a membership row stood for,
  // or of every pair on a TRUNCATE, unless the pair is a member again by the end of the statement (an
  // UPDATE that swaps two rows): after-row triggers run once the statement is done.
  await sql`create function end_grants_of_former_members() returns trigger language plpgsql as $$
    begin
      with ended as (
        update oauth_grants g set revoked_at = now(), revoked_reason = ${sql.lit(REASON)}
        where g.revoked_at is null
          and (tg_op = 'TRUNCATE' or (g.workspace_id = old.workspace_id and g.user_id = old.user_id))
          and not exists (
            select 1 from memberships m where m.workspace_id = g.workspace_id and m.user_id = g.user_id
          )
        returning g.id
      )
      update oauth_tokens t set revoked_at = now()
      where t.grant_id in (select id from ended) and t.revoked_at is null;
      -- Revoking a grant notifies by itself (0010); this also covers a removal that revoked nothing.
      -- Identical notifications of one transaction reach a listener once.
      perform pg_notify(${sql.lit(CHANNEL)}, '');
      return null;
    end
  $$`.execute(db);

  await sql`create trigger memberships_end_access_delete after delete on memberships
    for each row execute function end_grants_of_former_members()`.execute(db);
  // Only the columns that say who is a member of what: a role change (admin to member) leaves access
  // and every remembered token alone, since MCP is not admin-only.
  await sql`create trigger memberships_end_access_update after update of workspace_id, user_id on memberships
    for each row when (old.workspace_id is distinct from new.workspace_id or old.user_id is distinct from new.user_id)
    execute function end_grants_of_former_members()`.execute(db);
  await sql`create trigger memberships_end_access_truncate after truncate on memberships
    for each statement execute function end_grants_of_former_members()`.execute(db);
}
