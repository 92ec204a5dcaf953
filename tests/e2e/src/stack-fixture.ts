// One real stack, one Chromium and a database connection per test file, started before its tests
// and stopped after them.
import type { Env } from '@enginy/config/load';
import { createDb, type Db } from '@enginy/db/client';
import { startTestStack, type TestStack } from '@enginy/stack/test-stack';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchBrowser } from './browser.ts';

export const ADMIN = { email: 'dev@enginy.local', password: 'enginy-dev' };
export const MEMBER = { email: 'member@enginy.local', password: 'enginy-dev' };

export interface E2eContext {
  stack: TestStack;
  browser: Browser;
  db: Db;
}

/** Registers the hooks; the returned object's fields are set once `beforeAll` has run. */
export function useStackAndBrowser(env: Env = {}): E2eContext {
  const context = {} as E2eContext;
  beforeAll(async () => {
    context.stack = await startTestStack({ env });
    context.browser = await launchBrowser();
    context.db = createDb(context.stack.databaseUrl, { max: 2 });
  });
  afterAll(async () => {
    await context.db?.destroy();
    await context.browser?.close();
    await context.stack?.close();
  });
  return context;
}
