import { sql } from 'kysely';
import type { Db } from './client.ts';

/** Drops every table, including the migration records, leaving an empty `public` schema. */
export async function wipeDatabase(db: Db): Promise<void> {
  await sql`drop schema if exists public cascade`.execute(db);
  await sql`create schema public`.execute(db);
}
