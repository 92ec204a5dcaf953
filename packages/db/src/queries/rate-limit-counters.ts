// Fixed-window rate-limit counters (RATE_LIMIT_STORE=postgres), shared by every replica.
import { CompiledQuery, sql } from 'kysely';
import { type Db, usePreparedStatement } from '../client.ts';

export interface CounterHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

// One statement, atomic under concurrency: the primary key serialises replicas hitting one key, and
// a window that has ended starts again at 1 (the same fixed window as @fastify/rate-limit's stores).
const INCREMENT = `insert into rate_limit_counters as c (key, count, expires_at)
values ($1, 1, clock_timestamp() + $2 * interval '1 millisecond')
on conflict (key) do update set
  count = case when c.expires_at <= clock_timestamp() then 1 else c.count + 1 end,
  expires_at = case when c.expires_at <= clock_timestamp() then excluded.expires_at else c.expires_at end
returning count, greatest(0, ceil(extract(epoch from c.expires_at - clock_timestamp()) * 1000))::int as ttl_ms`;
usePreparedStatement('rate_limit_increment', INCREMENT);

/** Counts one hit on `key` in a window of `windowMs`. */
export async function incrementCounter(db: Db, key: string, windowMs: number): Promise<CounterHit> {
  const { rows } = await db.executeQuery<{ count: number; ttl_ms: number }>(
    CompiledQuery.raw(INCREMENT, [key, windowMs]),
  );
  const row = rows[0];
  if (row === undefined) throw new Error('rate_limit_counters: the upsert returned no row');
  return { count: row.count, ttlMs: row.ttl_ms };
}

/** Deletes windows that have ended; returns how many. */
export async function purgeEndedCounters(db: Db): Promise<number> {
  const result = await sql`delete from rate_limit_counters where expires_at <= clock_timestamp()`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}
