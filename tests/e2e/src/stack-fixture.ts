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

export interface StackContext {
  stack: TestStack;
  db: Db;
}

export interface E2eContext extends StackContext {
  browser: Browser;
}

/** A seeded stack and a database connection for the file's tests; fields are set once `beforeAll` has run. */
export function useStack(env: Env = {}): StackContext {
  const context = {} as StackContext;
  beforeAll(async () => {
    context.stack = await startTestStack({ env });
    context.db = createDb(context.stack.databaseUrl, { max: 2 });
  });
  afterAll(async () => {
    await context.db?.destroy();
    await context.stack?.close();
  });
  return context;
}

/** The same, with one Chromium for the file (hooks run in order: the browser closes before the stack). */
export function useStackAndBrowser(env: Env = {}): E2eContext {
  const context = useStack(env) as E2eContext;
  beforeAll(async () => {
    context.browser = await launchBrowser();
  });
  afterAll(async () => {
    await context.browser?.close();
  });
  return context;
}
