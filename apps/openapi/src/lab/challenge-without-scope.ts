import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';

/**
 * Failure lab `challenge-without-scope`: the scopes a 401 challenge names. On, none, as at servers
 * that send a bare challenge; a correct client then falls back to the resource metadata's
 * scopes_supported (MCP 2025-11-25, Scope Selection Strategy). A 403's scope is left alone: that is
 * step-up, not discovery.
 */
export function challengeScopes(status: number, scopes: string[], lab: readonly LabSwitchRow[]): string[] {
  if (status !== 401 || labSwitchInForce(lab, 'challenge-without-scope') === undefined) return scopes;
  return [];
}
