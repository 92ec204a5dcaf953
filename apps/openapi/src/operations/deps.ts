import type { Db } from '@enginy/db/client';
import type { ActionRunner } from '../jobs/action-runner.ts';

/** What operations get: the database and the background action runner, nothing about transport. */
export interface OperationDeps {
  db: Db;
  actions: ActionRunner;
}
