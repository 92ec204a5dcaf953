// Pending authorization requests (between /authorize and consent).
import { sql } from 'kysely';
import type { Db } from '../client.ts';
import type { ClientSourceAtAuthorize } from '../schema/oauth.ts';

export interface PendingAuthorization {
  id: string;
  clientId: string;
  redirectUri: string;
  scope: string | null;
  state: string | null;
  codeChallenge: string;
  resource: string;
  /** Metadata-document clients: what their metadata was when /authorize accepted the request. */
  clientSource: ClientSourceAtAuthorize | null;
  /** The issuer path it was made at (failure lab issuer-moved); null: the stack's own issuer. */
  issuerPath: string | null;
  createdAt: Date;
}

export async function createAuthorizationRequest(
  db: Db,
  request: Omit<PendingAuthorization, 'id' | 'createdAt' | 'issuerPath'> & { issuerPath?: string | null },
  ttlSeconds: number,
): Promise<string> {
  const row = await db
    .insertInto('oauth_authorization_requests')
    .values({
      client_id: request.clientId,
      redirect_uri: request.redirectUri,
      scope: request.scope,
      state: request.state,
      code_challenge: request.codeChallenge,
      resource: request.resource,
      client_source: request.clientSource,
      issuer_path: request.issuerPath ?? null,
      expires_at: new Date(Date.now() + ttlSeconds * 1000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A pending request that has neither expired nor been completed. */
export async function findPendingAuthorization(db: Db, id: string): Promise<PendingAuthorization | undefined> {
  if (!UUID.test(id)) return undefined;
  const row = await db
    .selectFrom('oauth_authorization_requests')
    .selectAll()
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      clientId: row.client_id,
      redirectUri: row.redirect_uri,
      scope: row.scope,
      state: row.state,
      codeChallenge: row.code_challenge,
      resource: row.resource,
      clientSource: row.client_source,
      issuerPath: row.issuer_path,
      createdAt: row.created_at,
    }
  );
}

/** Marks the request completed; false when another tab already did (each request ends once). */
export async function completeAuthorization(db: Db, id: string): Promise<boolean> {
  const row = await db
    .updateTable('oauth_authorization_requests')
    .set({ completed_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('completed_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}
