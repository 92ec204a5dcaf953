// OAuth clients: dynamically registered, metadata-document (CIMD) and pre-registered ones.
import { hashSecret } from '@enginy/security/tokens';
import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../client.ts';
import type { Database } from '../schema.ts';
import type {
  ClientMetadataSource,
  OAuthClientKind,
  OAuthClientsTable,
  TokenEndpointAuthMethod,
} from '../schema/oauth.ts';

export interface OAuthClient {
  id: string;
  kind: OAuthClientKind;
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  secretHash: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
  fetchedAt: Date | null;
  /** Metadata-document clients only: what their metadata is, and when the live document was last tried. */
  metadataSource: ClientMetadataSource | null;
  metadataCheckedAt: Date | null;
  /** The issuer path a registered client is bound to (failure lab issuer-moved); null: the stack's own issuer. */
  issuerPath: string | null;
}

export interface NewOAuthClient {
  kind: OAuthClientKind;
  name: string;
  redirectUris: string[];
  tokenEndpointAuthMethod: TokenEndpointAuthMethod;
  metadata: Record<string, unknown>;
  secretHash?: string | null;
  fingerprint?: string | null;
  /** Dynamic clients: the registering address (see apps/auth/src/routes/register.ts). */
  registeredFrom?: string | null;
  /** Dynamic clients registered at the failure lab's moved issuer: its path. */
  issuerPath?: string | null;
}

const COLUMNS = [
  'id',
  'kind',
  'name',
  'redirect_uris',
  'token_endpoint_auth_method',
  'secret_hash',
  'metadata',
  'created_at',
  'fetched_at',
  'metadata_source',
  'metadata_checked_at',
  'issuer_path',
] as const;

function toClient(row: Pick<Selectable<OAuthClientsTable>, (typeof COLUMNS)[number]>): OAuthClient {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    redirectUris: row.redirect_uris,
    tokenEndpointAuthMethod: row.token_endpoint_auth_method,
    secretHash: row.secret_hash,
    metadata: row.metadata,
    createdAt: row.created_at,
    fetchedAt: row.fetched_at,
    metadataSource: row.metadata_source,
    metadataCheckedAt: row.metadata_checked_at,
    issuerPath: row.issuer_path,
  };
}

/** A live (not deleted) client. */
export async function findClient(db: Db, id: string): Promise<OAuthClient | undefined> {
  const row = await db
    .selectFrom('oauth_clients')
    .select(COLUMNS)
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row && toClient(row);
}

/** No grant was ever made to the client (revoked ones count: it completed one). */
function neverGranted(eb: ExpressionBuilder<Database, 'oauth_clients'>) {
  return eb.not(
    eb.exists(
      eb
        .selectFrom('oauth_grants')
        .select('oauth_grants.id')
        .whereRef('oauth_grants.client_id', '=', 'oauth_clients.id'),
    ),
  );
}

/** Live dynamic clients registered from `address` that never completed a grant (the per-address cap). */
export async function countUnusedDynamicClientsFrom(db: Db, address: string): Promise<number> {
  const row = await db
    .selectFrom('oauth_clients')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('kind', '=', 'dynamic')
    .where('deleted_at', 'is', null)
    .where('registered_from', '=', address)
    .where(neverGranted)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Deletes dynamic clients last registered before `registeredBefore` that never completed a grant,
 * unless an authorization request or code for them is still pending. Returns how many.
 */
export async function purgeUnusedDynamicClients(db: Db, registeredBefore: Date, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('oauth_clients')
    .where('kind', '=', 'dynamic')
    .where('registered_at', '<', registeredBefore)
    .where(neverGranted)
    .where((eb) =>
      eb.not(
        eb.or([
          eb.exists(
            eb
              .selectFrom('oauth_authorization_requests as r')
              .select('r.id')
              .whereRef('r.client_id', '=', 'oauth_clients.id')
              .where('r.expires_at', '>', now),
          ),
          eb.exists(
            eb
              .selectFrom('oauth_codes as c')
              .select('c.code_hash')
              .whereRef('c.client_id', '=', 'oauth_clients.id')
              .where('c.expires_at', '>', now),
          ),
        ]),
      ),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Inserts a dynamically registered client, or returns the live one registered with the same
 * fingerprint (identical metadata), so a client that re-registers on every start does not pile up;
 * either way its registration time is now (an unused client expires a day after it).
 */
export async function registerDynamicClient(
  db: Db,
  id: string,
  client: NewOAuthClient,
): Promise<{ client: OAuthClient; created: boolean }> {
  const row = await db
    .insertInto('oauth_clients')
    .values({
      id,
      kind: client.kind,
      name: client.name,
      redirect_uris: client.redirectUris,
      token_endpoint_auth_method: client.tokenEndpointAuthMethod,
      secret_hash: client.secretHash ?? null,
      registration_fingerprint: client.fingerprint ?? null,
      registered_from: client.registeredFrom ?? null,
      issuer_path: client.issuerPath ?? null,
      metadata: JSON.stringify(client.metadata),
    })
    .onConflict((oc) =>
      oc
        .column('registration_fingerprint')
        .where('deleted_at', 'is', null)
        .doUpdateSet({ registered_at: sql<Date>`now()` }),
    )
    // xmax is 0 only on a row this statement inserted (PostgreSQL), not on one it updated.
    .returning([...COLUMNS, sql<boolean>`(xmax = 0)`.as('inserted')])
    .executeTakeFirstOrThrow();
  return { client: toClient(row), created: row.inserted };
}

/**
 * Stores (or refreshes) a metadata-document client: a fetched document (`fetched_at` now), or, when
 * the live document could not be had, a bundled copy or an unverified client (`fetched_at` kept, so
 * a cached fetched copy's age stays known).
 */
export async function upsertCimdClient(
  db: Db,
  id: string,
  client: Omit<NewOAuthClient, 'kind'>,
  source: ClientMetadataSource,
): Promise<OAuthClient> {
  const now = new Date();
  const values = {
    name: client.name,
    redirect_uris: client.redirectUris,
    token_endpoint_auth_method: client.tokenEndpointAuthMethod,
    metadata: JSON.stringify(client.metadata),
    metadata_source: source,
    metadata_checked_at: now,
    deleted_at: null,
    ...(source === 'fetched' ? { fetched_at: now } : {}),
  };
  const row = await db
    .insertInto('oauth_clients')
    .values({ id, kind: 'cimd', ...values })
    .onConflict((oc) => oc.column('id').doUpdateSet(values).where('oauth_clients.kind', '=', 'cimd'))
    .returning(COLUMNS)
    .executeTakeFirstOrThrow();
  return toClient(row);
}

/** Records that the live document was tried again (and could not be had), keeping what the client is. */
export async function touchCimdClient(db: Db, id: string): Promise<void> {
  await db
    .updateTable('oauth_clients')
    .set({ metadata_checked_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('kind', '=', 'cimd')
    .execute();
}

export async function deleteClient(db: Db, id: string): Promise<void> {
  await db.updateTable('oauth_clients').set({ deleted_at: sql<Date>`now()` }).where('id', '=', id).execute();
}

/**
 * A pre-registered confidential client (for `claude mcp add --client-id ... --client-secret ...`),
 * with the credentials the caller minted (newClientCredentials) and the redirect URIs it checked.
 * The secret is stored only as a keyed hash; the credentials come back for the caller to show once.
 */
export async function createPreregisteredClient(
  db: Db,
  tokenHashKey: string,
  input: {
    clientId: string;
    clientSecret: string;
    name: string;
    redirectUris: string[];
    tokenEndpointAuthMethod?: 'client_secret_post' | 'client_secret_basic';
    workspaceId?: string;
  },
): Promise<{ clientId: string; clientSecret: string }> {
  const { clientId, clientSecret } = input;
  await db
    .insertInto('oauth_clients')
    .values({
      id: clientId,
      kind: 'preregistered',
      name: input.name,
      redirect_uris: input.redirectUris,
      token_endpoint_auth_method: input.tokenEndpointAuthMethod ?? 'client_secret_post',
      secret_hash: hashSecret(tokenHashKey, clientSecret),
      metadata: JSON.stringify({ client_name: input.name }),
      workspace_id: input.workspaceId ?? null,
    })
    .execute();
  return { clientId, clientSecret };
}

/** The live clients an admin of this workspace pre-registered, newest first. */
export function listWorkspaceClients(db: Db, workspaceId: string) {
  return db
    .selectFrom('oauth_clients')
    .select([
      'id',
      'name',
      'redirect_uris as redirectUris',
      'token_endpoint_auth_method as tokenEndpointAuthMethod',
      'created_at as createdAt',
    ])
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'preregistered')
    .where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Replaces the secret of a live client of this workspace (the old one stops working at once); false when not found. */
export async function rotateClientSecret(
  db: Db,
  tokenHashKey: string,
  workspaceId: string,
  clientId: string,
  clientSecret: string,
): Promise<boolean> {
  const row = await db
    .updateTable('oauth_clients')
    .set({ secret_hash: hashSecret(tokenHashKey, clientSecret) })
    .where('id', '=', clientId)
    .where('workspace_id', '=', workspaceId)
    .where('kind', '=', 'preregistered')
    .where('deleted_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Soft-deletes a live client of this workspace: from now on it is an unknown client (invalid_client),
 * and every connection it holds, in any workspace, ends with it (its access tokens would otherwise
 * live on until they expire). Returns the revoked grant ids, or undefined when not found.
 */
export async function deleteWorkspaceClient(
  db: Db,
  workspaceId: string,
  clientId: string,
): Promise<string[] | undefined> {
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
    if (grantIds.length > 0)
      await trx
        .updateTable('oauth_tokens')
        .set({ revoked_at: sql<Date>`now()` })
        .where('grant_id', 'in', grantIds)
        .where('revoked_at', 'is', null)
        .execute();
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
        eb.exists(
          eb
            .selectFrom('auth_events')
            .select('auth_events.id')
            .whereRef('auth_events.client_id', '=', 'oauth_clients.id')
            .where('auth_events.workspace_id', '=', workspaceId),
        ),
        eb.exists(
          eb
            .selectFrom('oauth_grants')
            .select('oauth_grants.id')
            .whereRef('oauth_grants.client_id', '=', 'oauth_clients.id')
            .where('oauth_grants.workspace_id', '=', workspaceId),
        ),
      ]),
    )
    .orderBy('lastAttemptAt', (ob) => ob.desc().nullsLast())
    .orderBy('oauth_clients.name')
    .execute();
  return rows.map((row) => ({ ...row, liveConnections: Number(row.liveConnections ?? 0) }));
}
