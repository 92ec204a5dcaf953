import type { AuthEvent } from '@enginy/db/queries/audit-events';
import type { ConsoleCaller } from './access.ts';

/**
 * An admin's change, for the same audit trail as the authorization attempts (outcome "allowed": the
 * change was made). `by` names the admin in the details.
 */
export function adminEvent(
  caller: ConsoleCaller,
  reason: string,
  details: Record<string, unknown>,
  about: { clientId?: string; redirectUri?: string; scopes?: string[] } = {},
): AuthEvent {
  return {
    workspaceId: caller.workspace.id,
    userId: caller.userId,
    clientId: about.clientId ?? null,
    redirectUri: about.redirectUri ?? null,
    requestedScopes: about.scopes ?? [],
    outcome: 'allowed',
    reason,
    details: { by: caller.email, ...details },
  };
}
