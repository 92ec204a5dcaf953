import type { Db } from '../../client.ts';
import type { ActionStatus } from '../../schema/domain.ts';
import { iso } from './pagination.ts';

export interface Action {
  actionsId: string;
  type: string;
  status: ActionStatus;
  contactCount: number;
  result: Record<string, unknown> | null;
  createdAt: string;
  updatedAt: string;
}

export async function createAction(
  db: Db,
  workspaceId: string,
  type: string,
  contactIds: readonly string[],
): Promise<Action> {
  const row = await db
    .insertInto('actions')
    .values({ workspace_id: workspaceId, type, contact_ids: [...new Set(contactIds)] })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toAction(row);
}

export async function getAction(db: Db, workspaceId: string, actionId: string): Promise<Action | undefined> {
  const row = await db
    .selectFrom('actions')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .where('id', '=', actionId)
    .executeTakeFirst();
  return row && toAction(row);
}

/** Claims a pending action for a worker; undefined if another worker (or a restart) already took it. */
export async function claimAction(db: Db, actionId: string) {
  return db
    .updateTable('actions')
    .set({ status: 'RUNNING', updated_at: new Date() })
    .where('id', '=', actionId)
    .where('status', '=', 'PENDING')
    .returning(['id', 'workspace_id', 'type', 'contact_ids'])
    .executeTakeFirst();
}

export async function finishAction(
  db: Db,
  actionId: string,
  status: 'COMPLETED' | 'FAILED',
  result: Record<string, unknown>,
): Promise<void> {
  await db
    .updateTable('actions')
    .set({ status, result: JSON.stringify(result), updated_at: new Date() })
    .where('id', '=', actionId)
    .execute();
}

/** Ids of actions left PENDING (e.g. by a restart), oldest first, for the runner to pick up. */
export async function pendingActionIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('actions')
    .select('id')
    .where('status', '=', 'PENDING')
    .orderBy('created_at')
    .execute();
  return rows.map((row) => row.id);
}

function toAction(row: {
  id: string;
  type: string;
  status: ActionStatus;
  contact_ids: string[];
  result: Record<string, unknown> | null;
  created_at: Date;
  updated_at: Date;
}): Action {
  return {
    actionsId: row.id,
    type: row.type,
    status: row.status,
    contactCount: row.contact_ids.length,
    result: row.result,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
