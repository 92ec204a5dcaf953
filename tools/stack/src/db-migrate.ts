// `pnpm db:migrate`: bring the schema to the latest migration (embedded PostgreSQL unless DATABASE_URL is set).
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm db:migrate

Brings the schema to the latest migration (recorded in kysely_migration; forward-only).
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
