import type { StackConfig } from '@enginy/config/load';
import { createDb } from '@enginy/db/client';
import { migrateToLatest } from '@enginy/db/migrate';
import { wipeDatabase } from '@enginy/db/reset';
import { seedDatabase } from '@enginy/db/seed';

export interface PrepareReport {
  applied: string[];
}

/** Migrates and seeds (idempotently); with `wipe`, drops everything first. */
export async function prepareDatabase(
  url: string,
  config: StackConfig,
  options: { wipe?: boolean; seed?: boolean } = {},
): Promise<PrepareReport> {
  const db = createDb(url, { max: 2 });
  try {
    if (options.wipe) await wipeDatabase(db);
    const { applied } = await migrateToLatest(db);
    if (options.seed !== false)
      await seedDatabase(db, { adminEmail: config.seed.adminEmail, adminPassword: config.seed.adminPassword });
    return { applied };
  } finally {
    await db.destroy();
  }
}
