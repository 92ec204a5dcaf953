// `pnpm db:seed`: migrate, then add the demo data that is missing (never overwrites changes).
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm db:seed

Migrates, then adds the demo data that is missing; never overwrites what you changed.
Uses DATABASE_URL when set, else the embedded PostgreSQL (a running \`pnpm dev\`'s, or it starts it).
`,
    options: {},
  }),
);
// Parsed before the rest is imported, so --help and a bad option answer at once.
const { resolveDatabase } = await import('./database.ts');
const { readConfigOrExit } = await import('./env.ts');
const { prepareDatabase } = await import('./prepare.ts');
const { runDatabaseTask } = await import('./task.ts');
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
