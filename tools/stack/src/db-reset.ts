// `pnpm db:reset`: drop everything, migrate from scratch and seed again.
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm db:reset

Drops everything, migrates from scratch and seeds the demo data again.
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
await runDatabaseTask('db:reset', async () => {
  const database = await resolveDatabase(config);
  try {
    const { applied } = await prepareDatabase(database.url, config, { wipe: true });
    return `wiped, migrated (${applied.length} migrations) and seeded ${database.label}`;
  } finally {
    await database.stop();
  }
});
