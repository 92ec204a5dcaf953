import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';

/** What every route plugin of this app is registered with (app.ts). */
export interface AppPluginOptions {
  config: StackConfig;
  db: Db;
}
