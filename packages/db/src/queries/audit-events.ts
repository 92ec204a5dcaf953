// The audit trail of authorization attempts and console changes (auth_events).
import type { Db } from '../client.ts';
import type { AuthEventOutcome } from '../schema/oauth.ts';

export interface AuthEvent {
  workspaceId?: string | null;
  userId?: string | null;
  clientId: string | null;
  redirectUri: string | null;
  requestedScopes: string[];
  outcome: AuthEventOutcome;
  reason: string;
  details: Record<string, unknown>;
}

export async function recordAuthEvent(db: Db, event: AuthEvent): Promise<void> {
  await db
    .insertInto('auth_events')
    .values({
      workspace_id: event.workspaceId ?? null,
      user_id: event.userId ?? null,
      client_id: event.clientId,
      redirect_uri: event.redirectUri,
      requested_scopes: event.requestedScopes,
      outcome: event.outcome,
      reason: event.reason,
      details: JSON.stringify(event.details),
    })
    .execute();
}

/** The newest events first, for the console (and tests). */
export function listAuthEvents(db: Db, options: { workspaceId?: string; limit?: number } = {}) {
  let query = db
    .selectFrom('auth_events')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(options.limit ?? 50);
  if (options.workspaceId !== undefined) query = query.where('workspace_id', '=', options.workspaceId);
  return query.execute();
}

/** Deletes audit events recorded before `before` (the stated retention); returns how many. */
export async function purgeAuthEvents(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('auth_events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface AttemptFilter {
  outcome?: AuthEventOutcome;
  clientId?: string;
  reason?: string;
  limit: number;
}

/**
 * The workspace's audit trail, newest first: only events attributable to it. Those are its own
 * events (a signed-in member chose it, or a code or token it issued was presented), and the events
 * refused before sign-in of the clients its admins pre-registered: nobody signed in to those, so the
 * console labels them as unauthenticated. Other events without a workspace are not shown: anyone
 * can send `/authorize` or `/token` naming any client (Claude Code's public client ID included), and
 * they must neither write into a workspace's list nor show one tenant another's failures.
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
          eb('oauth_clients.kind', '=', 'preregistered'),
          eb('oauth_clients.workspace_id', '=', workspaceId),
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
