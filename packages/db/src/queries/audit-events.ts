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
  let query = db.selectFrom('auth_events').selectAll().orderBy('id', 'desc').limit(options.limit ?? 50);
  if (options.workspaceId !== undefined) query = query.where('workspace_id', '=', options.workspaceId);
  return query.execute();
}

/** Deletes audit events recorded before `before` (the stated retention); returns how many. */
export async function purgeAuthEvents(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('auth_events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
