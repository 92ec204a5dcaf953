// `pnpm db:reset`: drop everything, migrate from scratch and seed again.
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { prepareDatabase } from './prepare.ts';
import { runDatabaseTask } from './task.ts';

const config = readConfigOrExit();
await runDatabaseTask('db:reset', async () => {
  const database = await resolveDatabase(config);
  try {
    const { applied } = await prepareDatabase(database.url, config, { wipe: true });
    return `wiped, migrated (${applied.length} migrations) and seeded ${database.label}`;
  } finally {
    await database.stop();
  }
});
