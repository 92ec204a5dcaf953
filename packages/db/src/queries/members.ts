// A workspace's members (the console's Members page) and removing one. The rule of who may be removed
// is the caller's (packages/policy), asked inside the transaction that holds the workspace's
// memberships locked, so two admins removing each other at once cannot leave the workspace with none.
import { sql } from 'kysely';
import type { Db } from '../client.ts';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: string;
  joinedAt: Date;
  /** Live grants of this person in this workspace: what would end if they were removed. */
  activeConnections: number;
}

const liveGrantCount = sql<string>`(select count(*) from oauth_grants g
  where g.workspace_id = memberships.workspace_id and g.user_id = memberships.user_id and g.revoked_at is null)`;

function members(db: Db, workspaceId: string) {
  return db
    .selectFrom('memberships')
    .innerJoin('users', 'users.id', 'memberships.user_id')
    .select([
      'users.id as userId',
      'users.email',
      'users.name',
      'memberships.role',
      'memberships.created_at as joinedAt',
      liveGrantCount.as('activeConnections'),
    ])
    .where('memberships.workspace_id', '=', workspaceId);
}

const counted = (row: Omit<Member, 'activeConnections'> & { activeConnections: string }): Member => ({
  ...row,
  activeConnections: Number(row.activeConnections),
});

/** Admins first, then by email: a stable order. */
export async function listMembers(db: Db, workspaceId: string): Promise<Member[]> {
  const rows = await members(db, workspaceId).orderBy('memberships.role').orderBy('users.email').execute();
  return rows.map(counted);
}

/**
 * Removes `userId` from the workspace if `decide` (given the member, or undefined, and every member)
 * does not throw. Deleting the membership is what ends their connections here: the database revokes
 * that person's grants in this workspace (reason `member_removed`) in the same transaction.
 * Returns the removed member and how many of their connections ended.
 */
export async function removeMember(
  db: Db,
  workspaceId: string,
  userId: string,
  decide: (target: Member | undefined, all: Member[]) => void,
): Promise<{ member: Member; endedConnections: number }> {
  return db.transaction().execute(async (trx) => {
    await trx.selectFrom('memberships').select('user_id').where('workspace_id', '=', workspaceId).forUpdate().execute();
    const all = (await members(trx, workspaceId).execute()).map(counted);
    const target = all.find((m) => m.userId === userId);
    decide(target, all);
    if (target === undefined) throw new Error('decide() let a removal of a non-member through');
    await trx.deleteFrom('memberships').where('workspace_id', '=', workspaceId).where('user_id', '=', userId).execute();
    const { live } = await trx
      .selectFrom('oauth_grants')
      .select((eb) => eb.fn.countAll<string>().as('live'))
      .where('workspace_id', '=', workspaceId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirstOrThrow();
    return { member: target, endedConnections: target.activeConnections - Number(live) };
  });
}
