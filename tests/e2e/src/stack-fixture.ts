// One real stack and a database connection per test file, started before its tests and stopped
// after them; and the test process's one Chromium.
import type { Env } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { createTestDatabase, type TestDatabase } from '@enginy/db/testing/database';
import { startTestStack, type TestStack, type WebServing } from '@enginy/stack/test-stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { sharedBrowser } from './browser.ts';

export const ADMIN = { email: 'dev@enginy.local', password: 'enginy-dev' };
export const MEMBER = { email: 'member@enginy.local', password: 'enginy-dev' };

export interface StackContext {
  stack: TestStack;
  db: Db;
}

export interface E2eContext extends StackContext {
  browser: Browser;
}

/**
 * A seeded stack and a database connection for the file's tests; fields are set once `beforeAll` has
 * run. Its database is cloned from the run's migrated, seeded template (vitest.config.ts's global
 * setup) on the run's one PostgreSQL: a cluster of its own would cost each file about 4 s of CPU
 * for initdb, migrations and seed.
 */
export function useStack(env: Env = {}, web?: WebServing): StackContext {
  const context = {} as StackContext;
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    context.db = database.db;
    context.stack = await startTestStack({ env, databaseUrl: database.url, ...(web ? { web } : {}) });
  });
  afterAll(async () => {
    await context.stack?.close();
    await database?.drop();
  });
  return context;
}

/** The same, with the test process's Chromium (browser.ts: shared by the files, never closed by one). */
export function useStackAndBrowser(env: Env = {}, web?: WebServing): E2eContext {
  const context = useStack(env, web) as E2eContext;
  beforeAll(async () => {
    context.browser = await sharedBrowser();
  });
  return context;
}
