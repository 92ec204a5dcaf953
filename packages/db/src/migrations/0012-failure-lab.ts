import { type Kysely, sql } from 'kysely';

// The failure lab's switches (`pnpm lab`, packages/config/src/failure-lab.ts): one row per scenario
// switched on, globally (workspace_id null) or for one workspace, with its options and who switched
// it on. Every service holds the rows in memory and reads them again when this channel notifies:
// a sibling of the token-validity channel (0010), so that token churn does not reload the lab and a
// lab switch does not forget every remembered token. NOTIFY is transactional, as in 0010: listeners
// hear a switch when, and only if, it commits.
const CHANNEL = 'enginy_failure_lab';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create table failure_lab_switches (
    id bigint generated always as identity primary key,
    scenario text not null,
    workspace_id uuid references workspaces (id) on delete cascade,
    options jsonb not null default '{}',
    -- What is left of a counted scenario (token-unavailable's --count); null when it is not counted.
    remaining integer check (remaining >= 0),
    switched_on_by text not null,
    switched_on_at timestamptz not null default now()
  )`.execute(db);
  // One switch per scenario and scope: a second "on" replaces the options of the first.
  await sql`create unique index failure_lab_switches_scope_idx on failure_lab_switches
    (scenario, coalesce(workspace_id, '00000000-0000-0000-0000-000000000000'::uuid))`.execute(db);

  await sql`create function notify_failure_lab() returns trigger language plpgsql as $$
    begin
      perform pg_notify(${sql.lit(CHANNEL)}, '');
      return null;
    end
  $$`.execute(db);
  await sql`create trigger failure_lab_switches_notify after insert or update or delete on failure_lab_switches
    for each row execute function notify_failure_lab()`.execute(db);
  await sql`create trigger failure_lab_switches_truncate after truncate on failure_lab_switches
    for each statement execute function notify_failure_lab()`.execute(db);
}
