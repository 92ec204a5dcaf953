import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import type { SharedStore } from '@enginy/service/shared-store';

/** What every route plugin of this app is registered with (app.ts). */
export interface AppPluginOptions {
  config: StackConfig;
  db: Db;
  /** Rate-limit counters and the sign-in backoff, shared by the replicas when configured. */
  sharedStore: SharedStore;
  /**
   * The issuer the OAuth endpoints answer as: undefined, the stack's own; the failure lab's moved
   * issuer's path (issuer-moved, lab/issuer-moved.ts), whose `config.auth.issuer` ends with it.
   */
  issuerPath?: string;
}
