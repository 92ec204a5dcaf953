// `pnpm db:seed`: migrate, then add the demo data that is missing (never overwrites changes).
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { prepareDatabase } from './prepare.ts';
import { runDatabaseTask } from './task.ts';

const config = readConfigOrExit();
await runDatabaseTask('db:seed', async () => {
  const database = await resolveDatabase(config);
  try {
    await prepareDatabase(database.url, config);
    return `demo data seeded on ${database.label}`;
  } finally {
    await database.stop();
  }
});
