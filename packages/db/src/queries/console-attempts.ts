import type { Db } from '../client.ts';
import type { AuthEventOutcome } from '../schema/oauth.ts';

export interface AttemptFilter {
  outcome?: AuthEventOutcome;
  clientId?: string;
  reason?: string;
  limit: number;
}

/**
 * The workspace's audit trail, newest first: its own events, plus the events with no workspace yet
 * (refused before sign-in) of clients that have tried this workspace.
 */
export function listAttempts(db: Db, workspaceId: string, filter: AttemptFilter) {
  let query = db
    .selectFrom('auth_events')
    .leftJoin('oauth_clients', 'oauth_clients.id', 'auth_events.client_id')
    .select([
      'auth_events.id',
      'auth_events.created_at',
      'auth_events.workspace_id',
      'auth_events.client_id',
      'oauth_clients.name as client_name',
      'auth_events.redirect_uri',
      'auth_events.requested_scopes',
      'auth_events.outcome',
      'auth_events.reason',
      'auth_events.details',
    ])
    .where((eb) =>
      eb.or([
        eb('auth_events.workspace_id', '=', workspaceId),
        eb.and([
          eb('auth_events.workspace_id', 'is', null),
          eb('auth_events.client_id', 'in', eb.selectFrom('auth_events as tried').select('tried.client_id').where('tried.workspace_id', '=', workspaceId).where('tried.client_id', 'is not', null)),
        ]),
      ]),
    )
    // The bigserial id is insertion order; created_at ties within a transaction.
    .orderBy('auth_events.id', 'desc')
    .limit(filter.limit);
  if (filter.outcome !== undefined) query = query.where('auth_events.outcome', '=', filter.outcome);
  if (filter.clientId !== undefined) query = query.where('auth_events.client_id', '=', filter.clientId);
  if (filter.reason !== undefined) query = query.where('auth_events.reason', '=', filter.reason);
  return query.execute();
}
