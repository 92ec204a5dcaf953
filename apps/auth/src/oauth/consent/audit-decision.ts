import type { Db } from '@enginy/db/client';
import type { FastifyBaseLogger } from 'fastify';
import { audit } from '../../audit.ts';
import type { ConsentContext } from './load-request.ts';

/** Records the consent step's outcome for the workspace, with where a metadata-document client came from. */
export function auditDecision(
  db: Db,
  log: FastifyBaseLogger,
  context: ConsentContext,
  outcome: 'allowed' | 'denied',
  reason: string,
  details: Record<string, unknown>,
) {
  return audit(db, log, {
    workspaceId: context.workspace.id,
    userId: context.userId,
    clientId: context.pending.clientId,
    redirectUri: context.pending.redirectUri,
    requestedScopes: context.decision.requestedScopes,
    outcome,
    reason,
    details:
      context.pending.clientSource === null ? details : { ...details, clientSource: context.pending.clientSource },
  });
}
