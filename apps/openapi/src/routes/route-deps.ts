import type { Db } from '@enginy/db/client';
import type { ActionRunner } from '../jobs/action-runner.ts';

/** What route plugins get: the database and the background action runner, nothing about transport. */
export interface RouteDeps {
  db: Db;
  actions: ActionRunner;
}
