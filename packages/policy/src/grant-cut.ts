// What today's policy cuts from a grant: the console's Connections page and `mcp_whoami` both say it.
import { expandScopes, RESOURCE_SCOPE_LIST, type ResourceScope } from './scopes.ts';

/**
 * The scopes a grant holds (WRITE includes its READ, ALL everything) that `allowed` does not: pass
 * the ceiling in force, or the grant's effective scopes (the same answer). In the scope list's order.
 */
export function grantCut(granted: Iterable<string>, allowed: Iterable<string>): ResourceScope[] {
  const held = expandScopes(granted);
  const kept = expandScopes(allowed);
  return RESOURCE_SCOPE_LIST.filter((scope) => held.has(scope) && !kept.has(scope));
}
