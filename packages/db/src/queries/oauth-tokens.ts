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
  /** The issuer path of the request it answers (failure lab issuer-moved); null: the stack's own issuer. */
  issuerPath?: string | null;
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
      issuer_path: code.issuerPath ?? null,
    })
    .execute();
}

/** A code of any state, and whether its user is (still) a member of the workspace it was approved for. */
export function findCode(db: Db, codeHash: string) {
  return db
    .selectFrom('oauth_codes')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.workspace_id', '=', 'oauth_codes.workspace_id')
        .onRef('memberships.user_id', '=', 'oauth_codes.user_id'),
    )
    .selectAll('oauth_codes')
    .select(sql<boolean>`memberships.user_id is not null`.as('member'))
    .where('oauth_codes.code_hash', '=', codeHash)
    .executeTakeFirst();
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

/**
 * A token of any state, with its grant and whether the grant's user is still a member of its
 * workspace: the token endpoint tells reuse from garbage, and a removed member, with it.
 */
export function findToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('oauth_tokens')
    .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
    .leftJoin('memberships', (join) =>
      join
        .onRef('memberships.workspace_id', '=', 'oauth_grants.workspace_id')
        .onRef('memberships.user_id', '=', 'oauth_grants.user_id'),
    )
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
      'oauth_grants.revoked_reason as grantRevokedReason',
      'oauth_grants.issuer_path as grantIssuerPath',
      sql<boolean>`memberships.user_id is not null`.as('member'),
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
  /**
   * The grant's user is a member of its workspace: false once the membership is gone, and for a
   * grant its removal ended (migration 0011 revokes it with reason `member_removed`), even if the
   * user has joined again since (a new membership needs a new authorization).
   */
  member: boolean;
}

/** Why migration 0011 revokes the grants of a removed member (policy's MEMBER_REMOVED, written out: no rules here). */
const MEMBER_REMOVED = 'member_removed';

/**
 * The live access token with that keyed hash, or undefined (unknown, expired, revoked, its grant
 * revoked, or its user no longer a member of the workspace), with its workspace's MCP settings.
 * Policy changes apply at once because the ceiling is read here, on every call, rather than frozen
 * into the token.
 */
export async function findActiveAccessToken(db: Db, tokenHash: string): Promise<ActiveAccessTokenRow | undefined> {
  return (await findActiveAccessTokens(db, [tokenHash])).get(tokenHash);
}

/** The same lookup for several hashes in one round trip; a hash with no live token is absent from the map. */
export async function findActiveAccessTokens(
  db: Db,
  tokenHashes: readonly string[],
): Promise<Map<string, ActiveAccessTokenRow>> {
  const found = await findAccessTokens(db, tokenHashes);
  for (const [hash, row] of found) if (!row.member) found.delete(hash);
  return found;
}

/**
 * For the MCP endpoint, which batches the requests that arrive together: the live tokens, as
 * findActiveAccessTokens, and also those that membership ended (`member` false: the user was
 * removed from the workspace), so that the endpoint can say so. A hash that is neither is absent.
 */
export async function findAccessTokens(
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
      member: row.member === true,
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
  return (
    db
      .selectFrom('oauth_tokens')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
      .leftJoin('workspace_mcp_settings', 'workspace_mcp_settings.workspace_id', 'oauth_grants.workspace_id')
      // By the memberships primary key (workspace_id, user_id): one index probe per token.
      .leftJoin('memberships', (join) =>
        join
          .onRef('memberships.workspace_id', '=', 'oauth_grants.workspace_id')
          .onRef('memberships.user_id', '=', 'oauth_grants.user_id'),
      )
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
        // A grant is alive only while its user is a member of its workspace.
        sql<boolean>`memberships.user_id is not null and oauth_grants.revoked_at is null`.as('member'),
      ])
      .where(sql<boolean>`oauth_tokens.token_hash = any(${HASHES}::text[])`)
      .where('oauth_tokens.kind', '=', 'access')
      .where('oauth_tokens.expires_at', '>', sql<Date>`now()`)
      // Live, or ended by its user's removal from the workspace: that one comes back with `member`
      // false, so the endpoint can say why (it never counts as live).
      .where((eb) =>
        eb.or([
          eb.and([eb('oauth_tokens.revoked_at', 'is', null), eb('oauth_grants.revoked_at', 'is', null)]),
          eb('oauth_grants.revoked_reason', '=', MEMBER_REMOVED),
        ]),
      )
      .compile()
  );
}
