import type { StackConfig } from '@enginy/config/load';
import type { Db } from '@enginy/db/client';
import { listAttempts } from '@enginy/db/queries/audit-events';
import type { FastifyInstance } from 'fastify';
import { ValidationFailed } from '../../errors.ts';
import { readAccess } from './access.ts';
import { eventKind, reasonMessage } from './reasons.ts';

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 200;

interface Query {
  outcome?: string;
  clientId?: string;
  reason?: string;
  limit?: string;
}

/** Empty or absent means "no filter"; a repeated parameter is refused rather than guessed. */
function optional(q: Record<string, unknown>, field: keyof Query): string | undefined {
  const value = q[field];
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > 2048) throw new ValidationFailed(field, value, 'must be given once, as text');
  return value;
}

/** GET /console/workspaces/:id/attempts: the authorization attempts (and admin changes), newest first. */
export async function consoleAttemptRoutes(app: FastifyInstance, config: StackConfig, db: Db): Promise<void> {
  app.get<{ Params: { id: string }; Querystring: Query }>('/console/workspaces/:id/attempts', async (request, reply) => {
    const caller = await readAccess(request, db, config, request.params.id);
    const q = (request.query ?? {}) as Record<string, unknown>;
    const outcome = optional(q, 'outcome');
    if (outcome !== undefined && outcome !== 'allowed' && outcome !== 'denied') throw new ValidationFailed('outcome', outcome, 'must be allowed or denied');
    const limitText = optional(q, 'limit');
    const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ValidationFailed('limit', limitText, `must be a whole number from 1 to ${MAX_LIMIT}`);
    const rows = await listAttempts(db, caller.workspace.id, { outcome, clientId: optional(q, 'clientId'), reason: optional(q, 'reason'), limit });
    const attempts = rows.map((row) => ({
      id: String(row.id),
      at: row.created_at,
      kind: eventKind(row.reason),
      workspaceId: row.workspace_id,
      // Refused before anyone signed in: unauthenticated, so not something a member of this workspace did.
      unauthenticated: row.workspace_id === null,
      clientId: row.client_id,
      clientName: row.client_name ?? row.client_id,
      redirectUri: row.redirect_uri,
      requestedScopes: row.requested_scopes,
      outcome: row.outcome,
      reason: row.reason,
      message: reasonMessage(row.reason),
      details: row.details,
    }));
    return reply.header('cache-control', 'no-store').send({ attempts });
  });
}
