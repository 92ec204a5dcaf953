// `pnpm db:migrate`: bring the schema to the latest migration (embedded PostgreSQL unless DATABASE_URL is set).
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { prepareDatabase } from './prepare.ts';
import { runDatabaseTask } from './task.ts';

const config = readConfigOrExit();
await runDatabaseTask('db:migrate', async () => {
  const database = await resolveDatabase(config);
  try {
    const { applied } = await prepareDatabase(database.url, config, { seed: false });
    return applied.length > 0
      ? `applied ${applied.join(', ')} on ${database.label}`
      : `already up to date on ${database.label}`;
  } finally {
    await database.stop();
  }
});
