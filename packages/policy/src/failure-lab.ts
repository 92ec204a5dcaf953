// Whether a failure-lab scenario is in force for a request: the one decision every service asks of
// the switches it holds in memory. Pure, like every rule here, so the doctor can explain the same way.
import type { LabScenarioName, LabSwitch } from '@enginy/config/failure-lab';

/**
 * The switch that puts `scenario` in force for a request about `workspaceId` (undefined when the
 * request names no workspace yet, e.g. an unauthenticated 401): the workspace's own switch first,
 * then a global one. A workspace switch never reaches a request of another workspace, nor one
 * that names none.
 */
export function labSwitchInForce(
  switches: readonly LabSwitch[],
  scenario: LabScenarioName,
  workspaceId?: string,
): LabSwitch | undefined {
  const own =
    workspaceId === undefined
      ? undefined
      : switches.find((entry) => entry.scenario === scenario && entry.workspaceId === workspaceId);
  return own ?? switches.find((entry) => entry.scenario === scenario && entry.workspaceId === null);
}

/** The scenarios in force for a workspace's requests (its own and the global ones), for mcp_whoami. */
export function labScenariosInForce(switches: readonly LabSwitch[], workspaceId: string): LabSwitch[] {
  return switches.filter((entry) => entry.workspaceId === null || entry.workspaceId === workspaceId);
}
