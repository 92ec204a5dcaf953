// The workspace checks of the browser step (checks 2–5), as one pure decision the server applies and
// the console previews. Check 1 (client and its registered redirect URIs) happens before sign-in.
import { isClientIdAllowed } from './client-id.ts';
import { redirectUriAllowedByWorkspace, redirectUriHint } from './redirect-uri.ts';
import { missingScopes, parseScopeParam } from './scopes.ts';

export interface WorkspacePolicySettings {
  enabled: boolean;
  allowedRedirectUris: readonly string[];
  allowedClientIds: readonly string[];
  policyScopes: readonly string[];
  policyActive: boolean;
}

/**
 * A workspace that never saved its MCP settings is closed: MCP off, empty allowlists, no scope. Every
 * decision about it (consent, the console's preview and settings page) starts from these.
 */
export const NEVER_SAVED_SETTINGS: WorkspacePolicySettings = Object.freeze({
  enabled: false,
  allowedRedirectUris: Object.freeze([]),
  allowedClientIds: Object.freeze([]),
  policyScopes: Object.freeze([]),
  policyActive: false,
});

export interface AuthorizationRequestFacts {
  clientId: string;
  redirectUri: string;
  /** The raw OAuth `scope` parameter, if any. */
  scope: string | undefined;
}

export const AUTHORIZATION_MESSAGES = {
  redirect_uri_not_allowed: 'redirect_uri is not allowed',
  client_id_not_allowed: 'OAuth client_id is not allowed',
  mcp_disabled: 'MCP is disabled for this workspace',
  policy_inactive: 'The MCP policy of this workspace is inactive',
  policy_empty: 'The MCP policy of this workspace has no scopes',
  scopes_not_allowed: 'Requested scopes are not allowed',
} as const;

export type DenialReason = keyof typeof AUTHORIZATION_MESSAGES;

export type AuthorizationDecision =
  | { outcome: 'allowed'; scopes: string[]; requestedScopes: string[] }
  | {
      outcome: 'denied';
      reason: DenialReason;
      message: (typeof AUTHORIZATION_MESSAGES)[DenialReason];
      /** Only a scope denial goes back to the client (`error=invalid_scope`); the rest is an error page. */
      redirectError: 'invalid_scope' | undefined;
      requestedScopes: string[];
      details: Record<string, unknown>;
      hint?: string;
    };

/** Not an Enginy scope: clients append it to ask for a refresh token, which they get anyway. */
const IGNORED_SCOPES = new Set(['offline_access']);

/** The requested Enginy scopes, without `offline_access`. */
export function requestedEnginyScopes(scope: string | undefined): string[] {
  return parseScopeParam(scope).filter((name) => !IGNORED_SCOPES.has(name));
}

export function decideAuthorization(
  settings: WorkspacePolicySettings,
  request: AuthorizationRequestFacts,
): AuthorizationDecision {
  const requestedScopes = requestedEnginyScopes(request.scope);
  const deny = (reason: DenialReason, details: Record<string, unknown>, hint?: string): AuthorizationDecision => ({
    outcome: 'denied',
    reason,
    message: AUTHORIZATION_MESSAGES[reason],
    redirectError: reason === 'scopes_not_allowed' ? 'invalid_scope' : undefined,
    requestedScopes,
    details,
    ...(hint === undefined ? {} : { hint }),
  });

  // Check 2: the workspace's own allowlist of redirect URIs (redirect-uri.ts, stage: consent).
  if (!redirectUriAllowedByWorkspace(settings.allowedRedirectUris, request.redirectUri)) {
    return deny(
      'redirect_uri_not_allowed',
      { sent: request.redirectUri, allowed: [...settings.allowedRedirectUris] },
      redirectUriHint(settings.allowedRedirectUris, request.redirectUri),
    );
  }
  if (!isClientIdAllowed(settings.allowedClientIds, request.clientId)) {
    return deny(
      'client_id_not_allowed',
      { clientId: request.clientId, allowed: [...settings.allowedClientIds] },
      `Add this exact client ID to Allowed OAuth client IDs: ${request.clientId}`,
    );
  }
  if (!settings.enabled) return deny('mcp_disabled', { enabled: false });
  if (!settings.policyActive) return deny('policy_inactive', { policyActive: false });
  if (settings.policyScopes.length === 0) return deny('policy_empty', { policyScopes: [] });

  // Scope rule 5: a client that requests no scopes gets the policy ceiling.
  if (requestedScopes.length === 0) return { outcome: 'allowed', scopes: [...settings.policyScopes], requestedScopes };
  const offending = missingScopes(settings.policyScopes, requestedScopes);
  if (offending.length > 0) return deny('scopes_not_allowed', { offending, ceiling: [...settings.policyScopes] });
  return { outcome: 'allowed', scopes: requestedScopes, requestedScopes };
}
