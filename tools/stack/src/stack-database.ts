import type { StackConfig } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
import { type ResolvedDatabase, resolveDatabase } from './database.ts';
import { prepareDatabase } from './prepare.ts';

/**
 * Runs a command's `work` on the dev stack's database (the running embedded PostgreSQL, or one it
 * starts, or DATABASE_URL), migrated and seeded first, then closes all it opened: a PostgreSQL
 * this command started must not outlive it. Resolves to the failure's message, if any, a database
 * that cannot be reached included: the command prints it on one line, never a stack trace.
 */
export async function onStackDatabase(
  config: StackConfig,
  work: (db: Db) => Promise<void>,
): Promise<string | undefined> {
  let database: ResolvedDatabase;
  try {
    database = await resolveDatabase(config);
  } catch (error) {
    return (error as Error).message;
  }
  const db = createDb(database.url, { max: 1 });
  try {
    await prepareDatabase(database.url, config);
    await work(db);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await db.destroy();
    await database.stop();
  }
}
