import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { findPendingAuthorization, type PendingAuthorization } from '@enginy/db/queries/oauth-requests';
import { getMcpSettings, listMemberships } from '@enginy/db/queries/workspaces';
import { type AuthorizationDecision, decideAuthorization, NEVER_SAVED_SETTINGS } from '@enginy/policy/authorization';
import type { FastifyRequest } from 'fastify';
import { Forbidden, NotFound } from '../../errors/classes.ts';
import { currentSession } from '../../session/session.ts';

export const EXPIRED = 'This authorization request has expired or was already used. Start again from the application.';

/** A pending authorization request as the signed-in user sees it for one of their workspaces. */
export interface ConsentContext {
  pending: PendingAuthorization;
  userId: string;
  workspace: { id: string; name: string };
  workspaces: { id: string; name: string; role: string }[];
  decision: AuthorizationDecision;
  csrfToken: string;
}

/**
 * Loads the pending request and runs checks 2–5 (packages/policy `decideAuthorization`) for the
 * chosen workspace, or the user's first one. The same decision the console previews.
 */
export async function loadConsentRequest(
  db: Db,
  request: FastifyRequest,
  config: StackConfig,
  id: string,
  workspaceId: string | undefined,
): Promise<ConsentContext> {
  const session = await currentSession(request, db, config);
  const pending = await findPendingAuthorization(db, id);
  if (pending === undefined) throw new NotFound(EXPIRED);
  const workspaces = await listMemberships(db, session.userId);
  const workspace =
    workspaceId === undefined ? workspaces[0] : workspaces.find((membership) => membership.id === workspaceId);
  if (workspace === undefined)
    throw new Forbidden(
      workspaceId === undefined ? 'Your account belongs to no workspace' : 'You are not a member of that workspace',
    );
  const settings = await getMcpSettings(db, workspace.id);
  const decision = decideAuthorization(settings ?? NEVER_SAVED_SETTINGS, {
    clientId: pending.clientId,
    redirectUri: pending.redirectUri,
    scope: pending.scope ?? undefined,
  });
  return { pending, userId: session.userId, workspace, workspaces, decision, csrfToken: session.csrfToken };
}
