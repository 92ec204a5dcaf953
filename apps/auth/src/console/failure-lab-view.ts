// The failure lab as the console shows it: each catalogue scenario with the switch in force for the
// workspace. Which switch that is, is policy's labSwitchInForce, the very decision the services make.
import { LAB_SCENARIOS, type LabScenario, type LabScenarioName } from '@enginy/config/failure-lab';
import { labAgentsSeen } from '@enginy/config/failure-lab-agents';
import type { Db } from '@enginy/db/client';
import { type LabSwitchRow, listLabSwitches } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';
import { iso } from './wire.ts';

function scenarioView(scenario: LabScenario, switches: readonly LabSwitchRow[], workspaceId: string) {
  const row = labSwitchInForce(switches, scenario.name as LabSwitchRow['scenario'], workspaceId) as
    | LabSwitchRow
    | undefined;
  return {
    name: scenario.name,
    description: scenario.description,
    options: scenario.options.map((option) => ({ ...option })),
    workspaceSense: scenario.workspaceSense,
    planned: scenario.planned === true,
    reports: [...scenario.reports],
    correctClient: scenario.correctClient,
    clause: scenario.clause,
    agentsSeen: labAgentsSeen(scenario.name as LabScenarioName),
    // A counted scenario whose count is spent is switched on but no longer in force (FailureLabView).
    on: row !== undefined && row.remaining !== 0,
    state:
      row === undefined
        ? null
        : {
            scope: row.workspaceId === null ? ('global' as const) : ('workspace' as const),
            options: row.options,
            remaining: row.remaining,
            switchedOnBy: row.switchedOnBy,
            switchedOnAt: iso(new Date(row.switchedOnAt)),
          },
  };
}

/** Every scenario of the catalogue, in its order, with its state for `workspaceId`. */
export async function labOverview(db: Db, workspaceId: string) {
  const switches = await listLabSwitches(db);
  return (LAB_SCENARIOS as readonly LabScenario[]).map((scenario) => scenarioView(scenario, switches, workspaceId));
}
