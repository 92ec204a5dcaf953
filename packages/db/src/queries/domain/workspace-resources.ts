import { CompiledQuery } from 'kysely';
import { type Db, usePreparedStatement } from '../../client.ts';
import type { Channel } from '../../schema/domain.ts';
import { iso } from './pagination.ts';

export interface Credits {
  balance: number;
  nextRenewalDate: string;
  monthlyPlanCredits: number;
  monthlyAddonCredits: number;
}

// Read on every credits call (REST and the get_credits tool): its SQL is written once rather than
// built per call, and PostgreSQL plans it once per connection (a prepared statement). The date as
// text: pg would turn a `date` into a Date at local midnight, shifting the day across time zones.
const CREDITS = `select balance, monthly_plan_credits as "monthlyPlanCredits",
  monthly_addon_credits as "monthlyAddonCredits", next_renewal_date::text as "nextRenewalDate"
from workspace_credits where workspace_id = $1`;
usePreparedStatement('workspace_credits', CREDITS);

export async function getCredits(db: Db, workspaceId: string): Promise<Credits | undefined> {
  const { rows } = await db.executeQuery<Credits>(CompiledQuery.raw(CREDITS, [workspaceId]));
  return rows[0];
}

/** Takes `amount` credits if the balance covers them, atomically; false when it does not. */
export async function spendCredits(db: Db, workspaceId: string, amount: number): Promise<boolean> {
  const row = await db
    .updateTable('workspace_credits')
    .set((eb) => ({ balance: eb('balance', '-', amount) }))
    .where('workspace_id', '=', workspaceId)
    .where('balance', '>=', amount)
    .returning('balance')
    .executeTakeFirst();
  return row !== undefined;
}

export async function listSenderIdentities(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom('sender_identities')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    linkedInProfileUrl: row.linkedin_profile_url,
    channels: row.channels as Channel[],
    dailyLimit: row.daily_limit,
    createdAt: iso(row.created_at),
  }));
}

export async function listCrmOwners(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom('crm_owners')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('name')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name, email: row.email, createdAt: iso(row.created_at) }));
}
