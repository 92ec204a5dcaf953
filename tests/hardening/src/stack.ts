// One real stack (the apps as processes on free ports, on a database of its own) and a database
// connection per test file, started before its tests and stopped after them.
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { Env } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import type { AppName } from '@enginy/stack/launch';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import { afterAll, beforeAll } from 'vitest';

export const ADMIN = { email: 'dev@enginy.local', password: 'enginy-dev' };
export const MEMBER = { email: 'member@enginy.local', password: 'enginy-dev' };
/** Allowlisted in the seeded Acme workspace; only ever a string here (tests/e2e binds the port). */
export const CALLBACK = CLAUDE_CODE_REDIRECT_URI;

export interface HardeningContext {
  stack: TestStack;
  db: Db;
}

/**
 * The OAuth and OpenAPI services only, unless the file needs the web app's pages too; with
 * `replicas`, that many copies of each behind nginx on the usual URLs (the scale topology). The
 * database is cloned from the run's migrated, seeded template (vitest.config.ts's global setup); with
 * `ownPostgres`, the stack starts an embedded PostgreSQL of its own instead, for a file that stops
 * and starts it (`stack.database`).
 */
export function useStack(
  env: Env = {},
  only: readonly AppName[] = ['openapi', 'auth'],
  options: { replicas?: number; ownPostgres?: boolean } = {},
): HardeningContext {
  const context = {} as HardeningContext;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    const { ownPostgres, ...launch } = options;
    if (ownPostgres !== true) database = await createTestDatabase();
    context.stack = await startTestStack({
      env,
      only,
      ...launch,
      ...(database ? { databaseUrl: database.url } : {}),
    });
    context.db = database?.db ?? createDb(context.stack.databaseUrl, { max: 2 });
  });
  afterAll(async () => {
    if (database === undefined) await context.db?.destroy();
    await context.stack?.close();
    await database?.drop();
  });
  return context;
}
