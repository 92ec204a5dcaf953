import { AttemptList, AttemptQuery, WorkspaceParams } from '@enginy/contracts/console';
import { listAttempts } from '@enginy/db/queries/audit-events';
import { cleanClientName } from '@enginy/policy/client-name';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf } from './access.ts';
import type { ConsoleDeps } from './deps.ts';
import { ValidationFailed } from '../errors/classes.ts';
import { eventKind, reasonMessage } from './reasons.ts';
import { iso } from './wire.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

/** Empty means "no filter", like absent (the schema has already refused a repeated parameter). */
const filter = (value: string | undefined) => (value === '' ? undefined : value);

/** A client-created event's details hold the name as then stored: shown cleaned, as the client's name is. */
function detailsShown(row: { reason: string; client_id: string | null; details: Record<string, unknown> }) {
  const { details } = row;
  if (row.reason !== 'client_created' || typeof details.name !== 'string') return details;
  return { ...details, name: cleanClientName(details.name, row.client_id ?? '') };
}

/** GET /console/workspaces/:id/attempts: the authorization attempts (and admin changes), newest first. */
export const attemptRoutes: FastifyPluginAsyncTypebox<ConsoleDeps> = async (app, { db, access }) => {
  app.get(
    '/console/workspaces/:id/attempts',
    {
      preValidation: access.member,
      schema: { params: WorkspaceParams, querystring: AttemptQuery, response: { 200: AttemptList } },
    },
    async (request, reply) => {
      const query = request.query;
      const outcome = filter(query.outcome);
      if (outcome !== undefined && outcome !== 'allowed' && outcome !== 'denied')
        throw new ValidationFailed('outcome', outcome, 'must be allowed or denied');
      const limitText = filter(query.limit);
      const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT)
        throw new ValidationFailed('limit', limitText, `must be a whole number from 1 to ${MAX_LIMIT}`);
      const rows = await listAttempts(db, callerOf(request).workspace.id, {
        outcome,
        clientId: filter(query.clientId),
        reason: filter(query.reason),
        limit,
      });
      const attempts = rows.map((row) => ({
        id: String(row.id),
        at: iso(row.created_at),
        kind: eventKind(row.reason),
        workspaceId: row.workspace_id,
        // Refused before anyone signed in: unauthenticated, so not something a member of this workspace did.
        unauthenticated: row.workspace_id === null,
        clientId: row.client_id,
        // Stored names may predate the cleaning: shown as the consent page shows them.
        clientName: row.client_id === null ? null : cleanClientName(row.client_name, row.client_id),
        redirectUri: row.redirect_uri,
        requestedScopes: row.requested_scopes,
        outcome: row.outcome,
        reason: row.reason,
        message: reasonMessage(row.reason),
        details: detailsShown(row),
      }));
      return reply.header('cache-control', 'no-store').send({ attempts });
    },
  );
};
