// The readiness checklist: each saved setting that stops every client before its first connection.
// The console API answers these as the settings' warnings; the Connect page ticks its checklist by them.
import type { WorkspacePolicySettings } from './authorization.ts';
import { redirectUriRegistrable } from './redirect-uri.ts';
import { ALL_SCOPE } from './scopes.ts';

export type ReadinessCheck =
  | 'mcp_disabled'
  | 'policy_inactive'
  | 'policy_empty'
  | 'no_redirect_uri'
  | 'unregistrable_redirect_uri'
  | 'all_with_other_scopes';

export interface ReadinessWarning {
  check: ReadinessCheck;
  message: string;
}

/** What the admin should know before the first connection fails, in the order an admin fixes it. */
export function readinessWarnings(settings: WorkspacePolicySettings): ReadinessWarning[] {
  const warnings: ReadinessWarning[] = [];
  const warn = (check: ReadinessCheck, message: string) => warnings.push({ check, message });
  if (!settings.enabled)
    warn('mcp_disabled', 'MCP is disabled: no client can connect, and existing connections stop working');
  if (!settings.policyActive) warn('policy_inactive', 'The policy is inactive: no client can be granted anything');
  if (settings.policyScopes.length === 0)
    warn('policy_empty', 'The policy has no scope: no client can be granted anything');
  if (settings.allowedRedirectUris.length === 0)
    warn('no_redirect_uri', 'No redirect URI is allowed: every authorization fails with "redirect_uri is not allowed"');
  for (const uri of settings.allowedRedirectUris) {
    // Allowed here but refused at registration (RFC 8252 §7.3, §8.3): no client can ever send it.
    if (!redirectUriRegistrable(uri))
      warn(
        'unregistrable_redirect_uri',
        `${uri}: clients cannot register this redirect URI (https, or http on localhost/127.0.0.1 only)`,
      );
  }
  if (settings.policyScopes.includes(ALL_SCOPE) && settings.policyScopes.length > 1)
    warn('all_with_other_scopes', 'ALL already grants the full MCP surface; the other scopes add nothing');
  return warnings;
}

/** The checks these settings fail, for a checklist that ticks each one. */
export function failedReadinessChecks(settings: WorkspacePolicySettings): Set<ReadinessCheck> {
  return new Set(readinessWarnings(settings).map((warning) => warning.check));
}
