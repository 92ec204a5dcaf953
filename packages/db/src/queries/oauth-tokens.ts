// Authorization codes and the access and refresh tokens issued under grants.
import { type CompiledQuery, sql } from 'kysely';
import { type Db, usePreparedStatement } from '../client.ts';
import type { OAuthTokenKind } from '../schema/oauth.ts';

export interface NewCode {
  codeHash: string;
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  workspaceId: string;
  userId: string;
  scopes: string[];
  expiresAt: Date;
  /** The authorization request it answers: the console's flows join the token exchange to it. */
  requestId?: string;
}

export async function createCode(db: Db, code: NewCode): Promise<void> {
  await db
    .insertInto('oauth_codes')
    .values({
      code_hash: code.codeHash,
      client_id: code.clientId,
      redirect_uri: code.redirectUri,
      code_challenge: code.codeChallenge,
      resource: code.resource,
      workspace_id: code.workspaceId,
      user_id: code.userId,
      scopes: code.scopes,
      expires_at: code.expiresAt,
      request_id: code.requestId ?? null,
    })
    .execute();
}

export function findCode(db: Db, codeHash: string) {
  return db.selectFrom('oauth_codes').selectAll().where('code_hash', '=', codeHash).executeTakeFirst();
}

/**
 * Claims an unused, unexpired code. Atomic (UPDATE … WHERE used_at IS NULL RETURNING): of any number
 * of concurrent redemptions exactly one gets the row; the row stays locked until the caller's
 * transaction commits, so a loser then sees the grant the winner created.
 */
export function claimCode(db: Db, codeHash: string) {
  return db
    .updateTable('oauth_codes')
    .set({ used_at: sql<Date>`now()` })
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returningAll()
    .executeTakeFirst();
}

export async function linkCodeToGrant(db: Db, codeHash: string, grantId: string): Promise<void> {
  await db.updateTable('oauth_codes').set({ grant_id: grantId }).where('code_hash', '=', codeHash).execute();
}

export async function insertTokens(
  db: Db,
  grantId: string,
  tokens: { hash: string; kind: OAuthTokenKind; expiresAt: Date }[],
): Promise<void> {
  await db
    .insertInto('oauth_tokens')
    .values(tokens.map((t) => ({ token_hash: t.hash, kind: t.kind, grant_id: grantId, expires_at: t.expiresAt })))
    .execute();
}

/** A token of any state, with its grant: the token endpoint tells reuse from garbage with it. */
export function findToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
    .select([
      'oauth_tokens.kind',
      'oauth_tokens.grant_id as grantId',
      'oauth_tokens.expires_at as expiresAt',
      'oauth_tokens.spent_at as spentAt',
      'oauth_tokens.revoked_at as revokedAt',
      'oauth_tokens.retry_answer as retryAnswer',
      'oauth_grants.client_id as clientId',
      'oauth_grants.workspace_id as workspaceId',
      'oauth_grants.scopes',
      'oauth_grants.resource',
      'oauth_grants.revoked_at as grantRevokedAt',
    ])
    .where('oauth_tokens.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

/**
 * Spends a live refresh token (rotation), keeping the rotation's sealed answer for a retry. Atomic like
 * claimCode: exactly one caller wins; false means it was already spent, revoked or expired.
 */
export async function spendRefreshToken(db: Db, tokenHash: string, retryAnswer: Buffer): Promise<boolean> {
  const row = await db
    .updateTable('oauth_tokens')
    .set({ spent_at: sql<Date>`now()`, retry_answer: retryAnswer })
    .where('token_hash', '=', tokenHash)
    .where('kind', '=', 'refresh')
    .where('spent_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('grant_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function revokeToken(db: Db, tokenHash: string): Promise<void> {
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: sql<Date>`now()` })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export interface ActiveAccessTokenRow {
  grantId: string;
  workspaceId: string;
  userId: string;
  clientId: string;
  /** The audience: a resource server must reject a token minted for another resource (RFC 8707). */
  resource: string;
  grantedScopes: string[];
  /** The workspace's policy ceiling as it is now (what it leaves of the grant: policy's withEffectiveScopes). */
  policyScopes: string[];
  mcpEnabled: boolean;
  policyActive: boolean;
  expiresAt: Date;
}

/**
 * For the MCP endpoint: the live access token with that keyed hash, or undefined (unknown, expired,
 * revoked, or its grant revoked), with its workspace's MCP settings. Policy changes apply at once
 * because the ceiling is read here, on every call, rather than frozen into the token.
 */
export async function findActiveAccessToken(db: Db, tokenHash: string): Promise<ActiveAccessTokenRow | undefined> {
  return (await findActiveAccessTokens(db, [tokenHash])).get(tokenHash);
}

/**
 * The same lookup for several hashes in one round trip (the MCP endpoint batches the requests that
 * arrive together); a hash with no live token is absent from the map.
 */
export async function findActiveAccessTokens(
  db: Db,
  tokenHashes: readonly string[],
): Promise<Map<string, ActiveAccessTokenRow>> {
  const found = new Map<string, ActiveAccessTokenRow>();
  if (tokenHashes.length === 0) return found;
  const compiled = activeAccessTokensQuery(db);
  const parameters = compiled.parameters.map((parameter) => (parameter === HASHES ? [...tokenHashes] : parameter));
  const rows = (await db.executeQuery<LookupRow>({ ...compiled, parameters })).rows;
  for (const row of rows) {
    found.set(row.tokenHash, {
      grantId: row.grantId,
      workspaceId: row.workspaceId,
      userId: row.userId,
      clientId: row.clientId,
      resource: row.resource,
      grantedScopes: row.scopes,
      policyScopes: row.policyScopes ?? [],
      mcpEnabled: row.enabled === true,
      policyActive: row.policyActive === true,
      expiresAt: row.expiresAt,
    });
  }
  return found;
}

// The lookup runs on every MCP call: its SQL is built once (one array parameter, whatever the
// batch size) rather than by the query builder per call, and PostgreSQL plans it once per
// connection (a prepared statement) rather than per call, which halves its CPU for the query.
type LookupRow = ReturnType<typeof buildActiveAccessTokensQuery> extends CompiledQuery<infer Row> ? Row : never;
/** Stands for the hashes in the compiled query's parameters. */
const HASHES: string[] = [];
const compiledLookups = new WeakMap<Db, ReturnType<typeof buildActiveAccessTokensQuery>>();
function activeAccessTokensQuery(db: Db) {
  let compiled = compiledLookups.get(db);
  if (compiled === undefined) {
    compiled = buildActiveAccessTokensQuery(db);
    compiledLookups.set(db, compiled);
    usePreparedStatement('active_access_tokens', compiled.sql);
  }
  return compiled;
}

function buildActiveAccessTokensQuery(db: Db) {
  return db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
    .leftJoin('workspace_mcp_settings', 'workspace_mcp_settings.workspace_id', 'oauth_grants.workspace_id')
    .select([
      'oauth_tokens.token_hash as tokenHash',
      'oauth_grants.id as grantId',
      'oauth_grants.workspace_id as workspaceId',
      'oauth_grants.user_id as userId',
      'oauth_grants.client_id as clientId',
      'oauth_grants.resource',
      'oauth_grants.scopes',
      'oauth_tokens.expires_at as expiresAt',
      'workspace_mcp_settings.enabled',
      'workspace_mcp_settings.policy_active as policyActive',
      'workspace_mcp_settings.policy_scopes as policyScopes',
    ])
    .where(sql<boolean>`oauth_tokens.token_hash = any(${HASHES}::text[])`)
    .where('oauth_tokens.kind', '=', 'access')
    .where('oauth_tokens.revoked_at', 'is', null)
    .where('oauth_tokens.expires_at', '>', sql<Date>`now()`)
    .where('oauth_grants.revoked_at', 'is', null)
    .compile();
}
