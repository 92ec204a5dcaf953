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

// Read on every credits call (REST and the get_credits tool), for the calls that arrive together at
// once (BatchedReads): its SQL is written once rather than built per call, and PostgreSQL plans it
// once per connection (a prepared statement). The date as text: pg would turn a `date` into a Date
// at local midnight, shifting the day across time zones.
const CREDITS = `select workspace_id as "workspaceId", balance, monthly_plan_credits as "monthlyPlanCredits",
  monthly_addon_credits as "monthlyAddonCredits", next_renewal_date::text as "nextRenewalDate"
from workspace_credits where workspace_id = any($1::uuid[])`;
usePreparedStatement('workspace_credits', CREDITS);

/** The credits of each of these workspaces, in one round trip; a workspace with none is absent. */
export async function getCreditsOf(db: Db, workspaceIds: readonly string[]): Promise<Map<string, Credits>> {
  const { rows } = await db.executeQuery<Credits & { workspaceId: string }>(CompiledQuery.raw(CREDITS, [workspaceIds]));
  return new Map(rows.map(({ workspaceId, ...credits }) => [workspaceId, credits]));
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
