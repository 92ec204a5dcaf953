// Step-up: when a call lacks scopes, whether a new authorization could give them. Pure.
import { missingScopes } from './scopes.ts';

/**
 * The scopes a call lacks that a new authorization could grant: `undefined` when the call lacks
 * nothing, or lacks a scope today's workspace policy does not allow (no consent could grant it:
 * that stays a refusal, not a challenge to authorize again). MCP 2025-11-25, Scope Challenge
 * Handling: "When a client makes a request with an access token with insufficient scope ... the
 * server SHOULD respond with: HTTP 403 Forbidden status code ... error="insufficient_scope"".
 */
export function scopesToStepUp(
  effectiveScopes: readonly string[],
  policyScopes: readonly string[],
  requiredScopes: readonly string[],
): string[] | undefined {
  const missing = missingScopes(effectiveScopes, requiredScopes);
  if (missing.length === 0) return undefined;
  return missingScopes(policyScopes, missing).length === 0 ? missing : undefined;
}
