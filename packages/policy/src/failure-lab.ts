// Whether a failure-lab scenario is in force for a request: the one decision every service asks of
// the switches it holds in memory. Pure, like every rule here, so the doctor can explain the same way.
import type { LabScenarioName, LabSwitch } from '@enginy/config/failure-lab';

/**
 * The switch that puts `scenario` in force for a request about `workspaceId` (undefined when the
 * request names no workspace yet, e.g. an unauthenticated 401): the workspace's own switch first,
 * then a global one. A workspace switch never reaches a request of another workspace, nor one
 * that names none.
 */
export function labSwitchInForce<Switch extends LabSwitch>(
  switches: readonly Switch[],
  scenario: LabScenarioName,
  workspaceId?: string,
): Switch | undefined {
  const own =
    workspaceId === undefined
      ? undefined
      : switches.find((entry) => entry.scenario === scenario && entry.workspaceId === workspaceId);
  return own ?? switches.find((entry) => entry.scenario === scenario && entry.workspaceId === null);
}

/** The scenarios in force for a workspace's requests (its own and the global ones), for mcp_whoami. */
export function labScenariosInForce<Switch extends LabSwitch>(
  switches: readonly Switch[],
  workspaceId: string,
): Switch[] {
  return switches.filter((entry) => entry.workspaceId === null || entry.workspaceId === workspaceId);
}

/**
 * Failure lab `forget-client`: whether a client counts as unknown. Only dynamically registered
 * clients that existed when the scenario went on (by the database's clock, which stamps both): a
 * client registered since is known, so registering again works, as it must (RFC 6749 §5.2
 * invalid_client: "Client authentication failed (e.g., unknown client ...)"; the client registers again).
 */
export function clientForgottenByLab(
  switches: readonly { scenario: string; workspaceId: string | null; switchedOnAt?: Date }[],
  client: { kind: string; createdAt: Date },
): boolean {
  const entry = switches.find((candidate) => candidate.scenario === 'forget-client' && candidate.workspaceId === null);
  if (entry?.switchedOnAt === undefined || client.kind !== 'dynamic') return false;
  return client.createdAt.getTime() <= entry.switchedOnAt.getTime();
}
