// `pnpm db:seed`: migrate, then add the demo data that is missing (never overwrites changes).
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { prepareDatabase } from './prepare.ts';
import { runDatabaseTask } from './task.ts';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm db:seed

Migrates, then adds the demo data that is missing; never overwrites what you changed.
Uses DATABASE_URL when set, else the embedded PostgreSQL (a running \`pnpm dev\`'s, or it starts it).
`,
    options: {},
  }),
);
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
