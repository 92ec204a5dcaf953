import { hashSecret, newSecret } from '@enginy/security/tokens';
import { sql } from 'kysely';
import type { Db } from '../client.ts';

/** The live clients an admin of this workspace pre-registered, newest first. */
export function listWorkspaceClients(db: Db, workspaceId: string) {
  return db
    .selectFrom('oauth_clients')
    .select(['id', 'name', 'redirect_uris as redirectUris', 'token_endpoint_auth_method as tokenEndpointAuthMethod', 'created_at as createdAt'])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'preregistered')
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** A new secret for a live client of this workspace (the old one stops working at once); undefined when not found. */
export async function rotateClientSecret(db: Db, tokenHashKey: string, workspaceId: string, clientId: string): Promise<string | undefined> {
  const clientSecret = newSecret('ecs_');
  const row = await db
    .updateTable('oauth_clients')
    .set({ secret_hash: hashSecret(tokenHashKey, clientSecret) })
    .where('id', '=', clientId)
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'preregistered')
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row === undefined ? undefined : clientSecret;
}

/**
 * Soft-deletes a live client of this workspace: from now on it is an unknown client (invalid_client),
 * and every connection it holds, in any workspace, ends with it (its access tokens would otherwise
 * live on until they expire). Returns the revoked grant ids, or undefined when not found.
 */
export async function deleteWorkspaceClient(db: Db, workspaceId: string, clientId: string): Promise<string[] | undefined> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('oauth_clients')
      .set({ deleted_at: sql<Date>`now()` })
      .where('id', '=', clientId)
      .where('workspace_id', '=', workspaceId)
      .where('deleted_at', 'is', null)
      .returning('id')
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const grants = await trx
      .updateTable('oauth_grants')
      .set({ revoked_at: sql<Date>`now()`, revoked_reason: 'client_deleted' })
      .where('client_id', '=', clientId)
      .where('revoked_at', 'is', null)
      .returning('id')
      .execute();
    const grantIds = grants.map((g) => g.id);
    if (grantIds.length > 0) await trx.updateTable('oauth_tokens').set({ revoked_at: sql<Date>`now()` }).where('grant_id', 'in', grantIds).where('revoked_at', 'is', null).execute();
    return grantIds;
  });
}

/**
 * The client ID metadata document clients this workspace has seen (an authorization attempt or a
 * grant in it), with where their metadata came from and how old it is; most recently seen first.
 * A client only ever seen in other workspaces is none of this workspace's business.
 */
export async function listWorkspaceCimdClients(db: Db, workspaceId: string) {
  const rows = await db
    .selectFrom('oauth_clients')
    .select((eb) => [
      'oauth_clients.id',
      'oauth_clients.name',
      'oauth_clients.redirect_uris as redirectUris',
      'oauth_clients.metadata_source as metadataSource',
      'oauth_clients.fetched_at as fetchedAt',
      'oauth_clients.metadata_checked_at as checkedAt',
      eb
        .selectFrom('auth_events')
        .select((e) => e.fn.max('auth_events.created_at').as('at'))
        .whereRef('auth_events.client_id', '=', 'oauth_clients.id')
        .where('auth_events.workspace_id', '=', workspaceId)
        .as('lastAttemptAt'),
      eb
        .selectFrom('oauth_grants')
        .select((e) => e.fn.countAll<string>().as('n'))
        .whereRef('oauth_grants.client_id', '=', 'oauth_clients.id')
        .where('oauth_grants.workspace_id', '=', workspaceId)
        .where('oauth_grants.revoked_at', 'is', null)
        .as('liveConnections'),
    ])
    .where('oauth_clients.kind', '=', 'cimd')
    .where('oauth_clients.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('auth_events').select('auth_events.id').whereRef('auth_events.client_id', '=', 'oauth_clients.id').where('auth_events.workspace_id', '=', workspaceId)),
        eb.exists(eb.selectFrom('oauth_grants').select('oauth_grants.id').whereRef('oauth_grants.client_id', '=', 'oauth_clients.id').where('oauth_grants.workspace_id', '=', workspaceId)),
      ]),
    )
    .orderBy('lastAttemptAt', (ob) => ob.desc().nullsLast())
    .orderBy('oauth_clients.name')
    .execute();
  return rows.map((row) => ({ ...row, liveConnections: Number(row.liveConnections ?? 0) }));
}
