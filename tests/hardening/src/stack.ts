// One real stack (the apps as processes on free ports, an embedded PostgreSQL) and a database
// connection per test file, started before its tests and stopped after them.
import { CLAUDE_CODE_REDIRECT_URI } from '@enginy/config/defaults';
import type { Env } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
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
 * `replicas`, that many copies of each behind nginx on the usual URLs (the scale topology).
 */
export function useStack(
  env: Env = {},
  only: readonly AppName[] = ['openapi', 'auth'],
  options: { replicas?: number } = {},
): HardeningContext {
  const context = {} as HardeningContext;
  beforeAll(async () => {
    context.stack = await startTestStack({ env, only, ...options });
    context.db = createDb(context.stack.databaseUrl, { max: 2 });
  });
  afterAll(async () => {
    await context.db?.destroy();
    await context.stack?.close();
  });
  return context;
}
