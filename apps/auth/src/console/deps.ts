// What the console API hands each of its route plugins. Its own module, so console-api.ts imports the
// route files and they import this, never console-api.ts: no import circle.
import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { AccessHooks } from './access.ts';

export interface ConsoleOptions {
  config: StackConfig;
  db: Db;
}

/** What each route plugin gets: the stack's config, the database, and the access hooks. */
export interface ConsoleDeps extends ConsoleOptions {
  access: AccessHooks;
}
