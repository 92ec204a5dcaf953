import { type Kysely, sql } from 'kysely';

// Rate-limit counters shared by every replica when RATE_LIMIT_STORE=postgres. UNLOGGED: a counter
// is worth nothing after a crash (PostgreSQL empties the table on crash recovery, which only resets
// the current minute's windows), so it skips the write-ahead log and costs a plain heap write.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create unlogged table rate_limit_counters (
    key text primary key,
    count integer not null,
    expires_at timestamptz not null
  )`.execute(db);
  await sql`create index rate_limit_counters_expires_idx on rate_limit_counters (expires_at)`.execute(db);
}
