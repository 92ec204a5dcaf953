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

/**
 * Failure lab `issuer-moved`: the path of the second issuer the stack serves while it is on (the
 * issuer URL plus this path, its metadata at the path-inserted well-known URL, RFC 8414 §3.1).
 */
export const MOVED_ISSUER_PATH = '/v2';

/** The issuer URL a row bound to `issuerPath` (null: the stack's own) belongs to. */
export function issuerAt(issuer: string, issuerPath: string | null): string {
  return issuerPath === null ? issuer : `${issuer}${issuerPath}`;
}

/**
 * Failure lab `issuer-moved`: whether an issuer knows a client. Credentials are bound to the issuer
 * that issued them (SEP-2352, authorization server migration: the client discovers the new server
 * and registers again): a dynamically registered or pre-registered client is known only at the
 * issuer it was registered with. A metadata-document client's ID is its document's URL, which any
 * issuer can fetch, so it is known at both.
 */
export function clientKnownAtIssuer(
  client: { kind: string; issuerPath: string | null },
  issuerPath: string | null,
): boolean {
  return client.kind === 'cimd' || client.issuerPath === issuerPath;
}

/**
 * Failure lab `issuer-moved`: a code, or a grant and every token of it, is honoured only by the issuer
 * that issued it (SEP-2352): the old issuer's refresh tokens are refused at the new one.
 */
export function issuedHere(issuedAt: string | null, issuerPath: string | null): boolean {
  return issuedAt === issuerPath;
}
