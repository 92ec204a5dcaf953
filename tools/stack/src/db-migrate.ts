// `pnpm db:migrate`: bring the schema to the latest migration (embedded PostgreSQL unless DATABASE_URL is set).
import { defineCommand, readCommandLine } from '@enginy/config/cli-args';
import { resolveDatabase } from './database.ts';
import { readConfigOrExit } from './env.ts';
import { prepareDatabase } from './prepare.ts';
import { runDatabaseTask } from './task.ts';

readCommandLine(
  defineCommand({
    usage: `Usage: pnpm db:migrate

Brings the schema to the latest migration (recorded in kysely_migration; forward-only).
Uses DATABASE_URL when set, else the embedded PostgreSQL (a running \`pnpm dev\`'s, or it starts it).
`,
    options: {},
  }),
);
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
