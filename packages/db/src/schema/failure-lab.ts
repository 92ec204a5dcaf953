import type { ColumnType, Generated } from 'kysely';

/** A failure-lab scenario switched on (migration 0012-failure-lab). */
export interface FailureLabSwitchTable {
  id: Generated<number>;
  scenario: string;
  workspace_id: string | null;
  options: ColumnType<Record<string, number>, string, string>;
  remaining: number | null;
  switched_on_by: string;
  switched_on_at: Generated<Date>;
}

export interface FailureLabTables {
  failure_lab_switches: FailureLabSwitchTable;
}
