// The scope ceiling: what a live grant may do today. A workspace's MCP policy applies to every live
// token at once (nothing is frozen into the token), so the MCP endpoint and the console apply this
// rule to the raw rows on every read.
import { expandScopes, RESOURCE_SCOPE_LIST, type ResourceScope } from './scopes.ts';

/**
 * The ceiling that applies to live grants: the policy's scopes while MCP is enabled and the policy
 * active, otherwise nothing (disabling MCP stops every token).
 */
export function ceilingInForce(
  settings: { enabled: boolean; policyActive: boolean; policyScopes: readonly string[] } | undefined,
): readonly string[] {
  return settings?.enabled && settings.policyActive ? settings.policyScopes : [];
}

/**
 * The scopes an unauthenticated MCP request is told to ask for (the 401 challenge's `scope`, the
 * authorization server's `scopes_supported`): every scope some workspace's ceiling in force allows,
 * sorted. Which workspace a client will land in is only known after sign-in; asking for no more than
 * the policies allow keeps the first connection within the ceiling.
 */
export function scopesInForceAnywhere(
  workspaces: readonly { enabled: boolean; policyActive: boolean; policyScopes: readonly string[] }[],
): string[] {
  return [...new Set(workspaces.flatMap((settings) => ceilingInForce(settings)))].sort();
}

/** What a grant may do today: its granted scopes cut down to the current policy ceiling. */
export function effectiveScopes(granted: Iterable<string>, ceiling: Iterable<string>): ResourceScope[] {
  const allowed = expandScopes(ceiling);
  const held = expandScopes(granted);
  return RESOURCE_SCOPE_LIST.filter((scope) => allowed.has(scope) && held.has(scope));
}

/** A grant as stored, next to its workspace's MCP settings as they are now. */
export interface GrantUnderPolicy {
  grantedScopes: readonly string[];
  mcpEnabled: boolean;
  policyActive: boolean;
  policyScopes: readonly string[];
}

/**
 * The grant with what it may do today added (`effectiveScopes`: granted ∩ the ceiling in force;
 * empty when MCP is off or the policy inactive).
 */
export function withEffectiveScopes<Grant extends GrantUnderPolicy>(
  grant: Grant,
): Grant & { effectiveScopes: ResourceScope[] } {
  const ceiling = ceilingInForce({
    enabled: grant.mcpEnabled,
    policyActive: grant.policyActive,
    policyScopes: grant.policyScopes,
  });
  return { ...grant, effectiveScopes: effectiveScopes(grant.grantedScopes, ceiling) };
}
