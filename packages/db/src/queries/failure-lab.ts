// The failure lab's switches (failure_lab_switches, migration 0012). No rules here: which scenario
// applies to a request is policy's (labSwitchInForce), what is a valid option is the catalogue's.
import type { LabScenarioName, LabSwitch } from '@enginy/config/failure-lab';
import type { Db } from '../client.ts';

/** The channel migration 0012's trigger notifies on every change of a switch. */
export const FAILURE_LAB_CHANNEL = 'enginy_failure_lab';

export interface LabSwitchRow extends LabSwitch {
  workspaceSlug: string | null;
  /** What is left of a counted scenario; 0: spent (no longer in force), null: not counted. */
  remaining: number | null;
  switchedOnBy: string;
  switchedOnAt: Date;
}

export async function listLabSwitches(db: Db): Promise<LabSwitchRow[]> {
  const rows = await db
    .selectFrom('failure_lab_switches')
    .leftJoin('workspaces', 'workspaces.id', 'failure_lab_switches.workspace_id')
    .select([
      'failure_lab_switches.scenario',
      'failure_lab_switches.workspace_id',
      'workspaces.slug',
      'failure_lab_switches.options',
      'failure_lab_switches.remaining',
      'failure_lab_switches.switched_on_by',
      'failure_lab_switches.switched_on_at',
    ])
    .orderBy('failure_lab_switches.id')
    .execute();
  return rows.map((row) => ({
    scenario: row.scenario as LabScenarioName,
    workspaceId: row.workspace_id,
    workspaceSlug: row.slug,
    options: row.options,
    remaining: row.remaining,
    switchedOnBy: row.switched_on_by,
    switchedOnAt: row.switched_on_at,
  }));
}

export interface LabSwitchInput {
  scenario: LabScenarioName;
  workspaceId: string | null;
  options: Record<string, number>;
  remaining: number | null;
  by: string;
}

/** Switches a scenario on for its scope; switching it on again replaces the earlier options. */
export async function switchLabOn(db: Db, input: LabSwitchInput): Promise<void> {
  await switchLabOff(db, input.scenario, input.workspaceId);
  await db
    .insertInto('failure_lab_switches')
    .values({
      scenario: input.scenario,
      workspace_id: input.workspaceId,
      options: JSON.stringify(input.options),
      remaining: input.remaining,
      switched_on_by: input.by,
    })
    .execute();
}

/**
 * Switches a scenario off: for one workspace, the global switch (null), or (undefined) everywhere.
 * Returns how many switches were on.
 */
export async function switchLabOff(db: Db, scenario: string, workspaceId?: string | null): Promise<number> {
  let query = db.deleteFrom('failure_lab_switches').where('scenario', '=', scenario);
  if (workspaceId === null) query = query.where('workspace_id', 'is', null);
  else if (workspaceId !== undefined) query = query.where('workspace_id', '=', workspaceId);
  return Number((await query.executeTakeFirst()).numDeletedRows);
}

/** Switches every scenario off; returns how many were on. */
export async function switchAllLabOff(db: Db): Promise<number> {
  return Number((await db.deleteFrom('failure_lab_switches').executeTakeFirst()).numDeletedRows);
}

/**
 * Takes one from a global counted scenario (token-unavailable), atomically, so that N replicas fail
 * N requests between them, not N each. True when this request took one.
 */
export async function takeLabCount(db: Db, scenario: LabScenarioName): Promise<boolean> {
  const taken = await db
    .updateTable('failure_lab_switches')
    .set((eb) => ({ remaining: eb('remaining', '-', 1) }))
    .where('scenario', '=', scenario)
    .where('workspace_id', 'is', null)
    .where('remaining', '>', 0)
    .returning('remaining')
    .executeTakeFirst();
  return taken !== undefined;
}

/** Sets a token's expiry (failure lab expire-access): the lab's one write to another table. */
export async function shortenToken(db: Db, tokenHash: string, expiresAt: Date): Promise<void> {
  await db.updateTable('oauth_tokens').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
}
