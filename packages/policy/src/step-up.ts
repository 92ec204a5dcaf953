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

export interface ConsentScopeChange {
  /** Asked for now and in no live grant of this user, client and workspace: what Approve adds. */
  added: string[];
  /** Asked for now and already granted. */
  kept: string[];
  /** Granted before and not asked for now: the earlier grant keeps them, this one will not have them. */
  notAsked: string[];
}

/**
 * What a new authorization changes against what the user already granted the same client in the
 * same workspace, for the consent page: step-up asks again for more, and the person approving should
 * see what is new beside what was granted before. Order follows `granting`, then `alreadyGranted`.
 */
export function consentScopeChange(granting: readonly string[], alreadyGranted: readonly string[]): ConsentScopeChange {
  const before = new Set(alreadyGranted);
  const now = new Set(granting);
  return {
    added: granting.filter((scope) => !before.has(scope)),
    kept: granting.filter((scope) => before.has(scope)),
    notAsked: [...before].filter((scope) => !now.has(scope)),
  };
}
