import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { SharedStore } from '@enginy/service/shared-store';

/** What every route plugin of this app is registered with (app.ts). */
export interface AppPluginOptions {
  config: StackConfig;
  db: Db;
  /** Rate-limit counters and the sign-in backoff, shared by the replicas when configured. */
  sharedStore: SharedStore;
}
