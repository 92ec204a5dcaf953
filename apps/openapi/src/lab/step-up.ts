import type { LabSwitchRow } from '@enginy/db/queries/failure-lab';
import { labSwitchInForce } from '@enginy/policy/failure-lab';
import { scopesToStepUp } from '@enginy/policy/step-up';
import type { GeneratedTool } from '../mcp/tool-catalogue.ts';
import type { ActiveAccessToken } from '../mcp/token-lookups.ts';

/**
 * Failure lab `step-up`: a tools/call lacking a scope that the workspace policy allows but the grant
 * does not hold is answered with an HTTP 403 insufficient_scope challenge, instead of the documented
 * tool error (MCP 2025-11-25, Scope Challenge Handling). Returns the scopes the call needs and the
 * ones it lacks, or undefined. The lab is asked only for a call that lacks a scope: the calls that
 * hold theirs cost nothing more.
 */
export async function stepUpChallenge(
  tool: GeneratedTool | undefined,
  token: ActiveAccessToken,
  lab: () => Promise<readonly LabSwitchRow[]>,
): Promise<{ required: string[]; missing: string[] } | undefined> {
  if (tool === undefined) return undefined;
  const missing = scopesToStepUp(token.effectiveScopes, token.policyScopes, tool.requiredScopes);
  if (missing === undefined) return undefined;
  if (labSwitchInForce(await lab(), 'step-up', token.workspaceId) === undefined) return undefined;
  return { required: [...tool.requiredScopes], missing };
}
